package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * A human who approves after minutes: a server on the SDK v1 ({@code task-poll-server.mjs}) asks for task-augmented
 * sampling with a 10-minute ttl and polls the task, the policy holds the request, and a reviewer approves after 90 s,
 * long past the broker's synchronous deadline. About two minutes, so it runs only with {@code -Dsampling.long=true}:
 * {@code mvn -o verify -pl system-tests -Dit.test=LongTaskReviewIT -Dsampling.long=true -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(KafkaStackExtension.class)
@EnabledIfSystemProperty(named = "sampling.long", matches = "true")
class LongTaskReviewIT {

    private static final Duration REVIEWER_TAKES = Duration.ofSeconds(90);
    private static final String HOLD_ALL = """
            defaultAction: approve
            rules:
              - {id: hold-tasks, when: {server: tasks}, action: hold, reason: a human decides}
            """;

    @Test
    void givenAServerThatPollsATaskForTenMinutes_whenAReviewerApprovesAfter90Seconds_thenTheServerGetsTheCompletion(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        Map<String, UpstreamSpec> servers = Map.of("tasks", new UpstreamSpec.Stdio("tasks",
                TestPeers.nodeScript("task-poll-server.mjs"), Map.of(), null));
        try (SamplingStack services = SamplingStack.start(stack, dir, HOLD_ALL, null, servers, 1,
                Duration.ofSeconds(30))) {
            // Given a held task-augmented request
            String url = services.broker().mcpUrl("tasks");
            CompletableFuture<TestPeers.ClientResult> client = CompletableFuture.supplyAsync(() -> TestPeers.runHost(
                    "v1-client.mjs", url, "sample-as-task", "{\"prompt\":\"approve me after 90 s\","
                            + "\"maxWaitSeconds\":600,\"pollSeconds\":2}", List.of("--sampling", "none"),
                    Map.of("HOST_ID", "patient-host", "CLIENT_TIMEOUT_MS", "700000"), Duration.ofMinutes(11)));
            ReviewItem pending = services.awaitReview(item -> item.getState() == ReviewState.PENDING,
                    Duration.ofSeconds(60));
            assertThat(Duration.between(pending.getContext().getRequestedAt(), pending.getContext().getDeadline()))
                    .as("the review window is the task's ttl").isEqualTo(Duration.ofMinutes(10));
            // When a reviewer takes 90 s
            Thread.sleep(REVIEWER_TAKES.toMillis());
            assertThat(client).as("the server still polls").isNotDone();
            services.sendReviewCommand(ReviewFlowIT.command(pending, ReviewStage.REQUEST, ReviewAction.APPROVE,
                    "slow-reviewer"));
            // Then
            TestPeers.ClientResult result = client.get(5, TimeUnit.MINUTES);
            assertThat(result.ok()).as(result.output()).isTrue();
            String text = new ObjectMapper().readTree(result.output()).at("/result/content/0/text").asText();
            assertThat(text).startsWith("sampled after ").contains("offline-echo").contains("approve me after 90 s");
            int polls = Integer.parseInt(text.substring("sampled after ".length(), text.indexOf(" polls")));
            assertThat(polls).as("about one poll every 2 s for 90 s").isGreaterThanOrEqualTo(40);
        }
    }
}
