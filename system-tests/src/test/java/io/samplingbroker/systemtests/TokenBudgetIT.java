package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * A token budget on the real services: two requests sent at once whose reservations together exceed it cannot both
 * pass; once the one let through completes, the budget counts what it used, and the next request fits again.
 */
@ExtendWith(KafkaStackExtension.class)
class TokenBudgetIT {

    /** One request of 1,000 maxTokens (plus its prompt's estimate) fits; two do not. */
    private static final String POLICY = """
            defaultAction: {action: approve}
            rules:
              - id: host-budget
                tokenBudget: {per: host, tokensPerDay: 1500}
                action: deny
            """;

    @Test
    void givenABudgetForOneRequest_whenTwoAreSentAtOnce_thenOneIsDeniedAndAfterTheOtherCompletesTheNextFits(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, POLICY, null, EndToEndIT.stdioEverything(), 1,
                Duration.ofSeconds(30))) {
            List<CompletableFuture<TestPeers.ClientResult>> calls = new ArrayList<>();
            for (String prompt : List.of("first at once", "second at once")) {
                calls.add(CompletableFuture.supplyAsync(() -> ask(services, prompt)));
            }
            List<TestPeers.ClientResult> results = new ArrayList<>();
            for (CompletableFuture<TestPeers.ClientResult> call : calls) {
                results.add(call.get());
            }

            assertThat(results).filteredOn(TestPeers.ClientResult::ok).as("answered").hasSize(1);
            assertThat(results).filteredOn(result -> !result.ok()).singleElement()
                    .satisfies(denied -> assertThat(denied.output()).contains("User rejected sampling request"));
            List<SamplingDecided> decisions = services.events(services.kafka.samplingTopics().decisions(),
                    key -> true, 2, EndToEndIT.EVENTS_TIMEOUT);
            assertThat(decisions).extracting(SamplingDecided::getDecision)
                    .containsExactlyInAnyOrder(Decision.APPROVED, Decision.DENIED);
            assertThat(decisions).filteredOn(d -> d.getDecision() == Decision.DENIED).singleElement()
                    .extracting(SamplingDecided::getReason)
                    .isEqualTo("Token budget of 1500 tokens per day per host exceeded (rule host-budget)");

            // the offline model reports a few dozen tokens: once settled, another 1,000-token request fits
            TestPeers.ClientResult third = awaitAnswered(services, "after the settlement");
            assertThat(third.output()).contains("offline-echo").contains("after the settlement");
        }
    }

    /** The settlement follows the completion on another topic: ask until it has landed (a few seconds at most). */
    private static TestPeers.ClientResult awaitAnswered(SamplingStack services, String prompt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        TestPeers.ClientResult result = ask(services, prompt);
        while (!result.ok() && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            result = ask(services, prompt);
        }
        assertThat(result.ok()).as(result.output()).isTrue();
        return result;
    }

    private static TestPeers.ClientResult ask(SamplingStack services, String prompt) {
        return TestPeers.runClient(List.of("http", services.broker().mcpUrl("everything"), prompt, "1000"),
                Map.of("HOST_ID", "budget-host"), EndToEndIT.CLIENT_TIMEOUT);
    }
}
