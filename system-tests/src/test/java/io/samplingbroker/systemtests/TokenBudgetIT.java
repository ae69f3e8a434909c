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
import io.samplingbroker.testsupport.ChatCompletionsServer;
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

    /**
     * A provider that takes its time: the first request is still reserved, not yet settled, when the second is
     * decided, however far apart the two clients start (each is a Node process).
     */
    private static String slowCatalogue(ChatCompletionsServer provider) {
        return "defaultModel: slow-gpt\n"
                + "providers:\n"
                + "  local: {type: openai-compatible, baseUrl: \"" + provider.baseUrl() + "\", maxRetries: 0}\n"
                + "models:\n"
                + "  - {name: slow-gpt, provider: local, providerModel: gpt-4o-mini}\n";
    }

    @Test
    void givenABudgetForOneRequest_whenTwoAreSentAtOnce_thenOneIsDeniedAndAfterTheOtherCompletesTheNextFits(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (ChatCompletionsServer provider = ChatCompletionsServer.start().replyByDefault(ChatCompletionsServer
                .completion("gpt-4o-mini-2024-07-18", "a slow answer", "stop").after(Duration.ofSeconds(8)));
                SamplingStack services = SamplingStack.start(stack, dir, POLICY, slowCatalogue(provider),
                        EndToEndIT.stdioEverything(), 1, Duration.ofSeconds(40))) {
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

            // the provider reported 29 tokens: once settled, another 1,000-token request fits
            TestPeers.ClientResult third = awaitAnswered(services, "after the settlement");
            assertThat(third.output()).contains("a slow answer");
            assertThat(provider.requestCount()).as("the denied request never reached the provider").isEqualTo(2);
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
