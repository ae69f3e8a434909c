package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * The policy's {@code forward} action through the real services: a host on the SDK v1 that samples itself answers
 * server-everything's sampling, its answer waits for a reviewer like a model's, and the audit explains it.
 */
@ExtendWith(KafkaStackExtension.class)
class ForwardFlowIT {

    private static final Duration REVIEW_TIMEOUT = Duration.ofSeconds(30);
    private static final String FORWARD_AND_REVIEW = """
            defaultAction: {action: forward, reviewResponse: true}
            """;

    @Test
    void givenForwardWithResponseReview_whenTheHostSamples_thenAReviewerReleasesTheHostsAnswerAndTheAuditExplainsIt(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, FORWARD_AND_REVIEW, null,
                EndToEndIT.stdioEverything(), 1, Duration.ofSeconds(55))) {
            // Given the host answered and its answer waits for a reviewer
            CompletableFuture<TestPeers.ClientResult> client = ask(services, "--sampling", "echo");
            ReviewItem pending = services.awaitReview(item -> item.getStage() == ReviewStage.RESPONSE
                    && item.getState() == ReviewState.PENDING, REVIEW_TIMEOUT);
            assertThat(pending.getCompletion().getModel()).isEqualTo("v1-client-echo");
            assertThat(client).as("the server has nothing before the review").isNotDone();
            // When
            services.sendReviewCommand(ReviewFlowIT.command(pending, ReviewStage.RESPONSE, ReviewAction.APPROVE,
                    "bob"));
            // Then
            TestPeers.ClientResult result = client.get(90, TimeUnit.SECONDS);
            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("v1-client-echo").contains("the user's own model");
            SamplingTopics topics = services.kafka.samplingTopics();
            String requestId = pending.getContext().getRequestId();
            assertThat(services.events(topics.decisions(), requestId, 1, REVIEW_TIMEOUT))
                    .extracting(SamplingDecided::getDecision).containsExactly(Decision.FORWARDED);
            List<SpecificRecord> completions = services.events(topics.completions(), requestId, 1, REVIEW_TIMEOUT);
            assertThat(((SamplingCompleted) completions.get(0)).getProvider()).isEqualTo("host");
            AuditHistory.Output verify = AuditHistory.audit(AuditHistory.append(
                    AuditHistory.connection(stack, services.kafka.topics().prefix()), "verify"));
            assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out()).contains("verify: OK; 1 requests checked (0 still open)");
        }
    }

    @Test
    void givenForward_whenTheHostDeclaredNoSampling_thenTheBrokersModelAnswersAndTheDecisionSaysWhy(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, "defaultAction: forward\n", null,
                EndToEndIT.stdioEverything(), 1, Duration.ofSeconds(55))) {
            // When
            TestPeers.ClientResult result = ask(services, "--sampling", "none").get(90, TimeUnit.SECONDS);
            // Then
            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("offline-echo");
            SamplingTopics topics = services.kafka.samplingTopics();
            SamplingDecided decided = services.events(topics.decisions(), services.firstKey(topics.requests(),
                    REVIEW_TIMEOUT), 1, REVIEW_TIMEOUT).get(0);
            assertThat(decided.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(decided.getReason()).isEqualTo(
                    "Approved for the broker's model: the host did not declare sampling (rule defaultAction)");
        }
    }

    private static CompletableFuture<TestPeers.ClientResult> ask(SamplingStack services, String... options) {
        String url = services.broker().mcpUrl("everything");
        return CompletableFuture.supplyAsync(() -> TestPeers.runHost("v1-client.mjs", url, "trigger-sampling-request",
                "{\"prompt\":\"the user's own model\",\"maxTokens\":20}", List.of(options),
                Map.of("HOST_ID", "host-own-model"), Duration.ofSeconds(150)));
    }
}
