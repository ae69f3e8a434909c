package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.testsupport.ChatCompletionsServer;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/** A provider slower than the deadline, or than the server's patience: no late response, and the right events. */
@ExtendWith(KafkaStackExtension.class)
class SlowProviderIT {

    /** The local OpenAI-format server, answering "slow answer" after {@code delay}. */
    private static ChatCompletionsServer slowProvider(Duration delay) {
        return ChatCompletionsServer.start().replyByDefault(
                ChatCompletionsServer.completion("gpt-4o-mini-2024-07-18", "slow answer", "stop").after(delay));
    }

    /** A catalogue with one model served by {@code provider}, no retries (one call per decision). */
    private static String catalogue(ChatCompletionsServer provider) {
        return "defaultModel: slow-gpt\n"
                + "providers:\n"
                + "  local:\n"
                + "    type: openai-compatible\n"
                + "    baseUrl: " + provider.baseUrl() + "\n"
                + "    timeoutMs: 120000\n"
                + "    maxRetries: 0\n"
                + "models:\n"
                + "  - name: slow-gpt\n"
                + "    provider: local\n"
                + "    providerModel: gpt-4o-mini\n";
    }

    @Test
    void givenAProviderSlowerThanTheDeadline_whenTheHostSamples_thenTheServerGetsExpiredAndNoLateAnswerIsDelivered(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (ChatCompletionsServer provider = slowProvider(Duration.ofSeconds(6));
                SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, catalogue(provider),
                        EndToEndIT.stdioEverything(), 1, Duration.ofSeconds(3))) {
            TestPeers.ClientResult result = TestPeers.runClient(List.of("http", services.broker().mcpUrl("everything"),
                    "too slow", "20"), Map.of(), EndToEndIT.CLIENT_TIMEOUT);

            assertThat(result.output()).contains(SamplingErrors.SAMPLING_EXPIRED_MESSAGE).doesNotContain("slow answer");
            SamplingTopics topics = services.kafka.samplingTopics();
            String requestId = services.firstKey(topics.requests(), EndToEndIT.EVENTS_TIMEOUT);
            // waiting past the provider's answer: nothing more is delivered for the request
            List<SpecificRecord> lifecycle = services.events(topics.lifecycle(), requestId, 3, Duration.ofSeconds(8));
            assertThat(lifecycle).hasSize(2);
            assertThat(lifecycle.get(0)).isInstanceOf(SamplingExpired.class);
            assertThat(lifecycle.get(1)).isInstanceOfSatisfying(SamplingDelivered.class,
                    d -> assertThat(d.getErrorCode()).isEqualTo(SamplingErrors.SAMPLING_EXPIRED));
        }
    }

    @Test
    void givenAProviderSlowerThanTheServersPatience_whenTheServerCancels_thenNothingIsDeliveredAndTheCancelIsRecorded(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        // server-everything gives up on a sampling request after 60 s and sends notifications/cancelled;
        // the broker's deadline is set beyond that so the server's cancellation comes first
        try (ChatCompletionsServer provider = slowProvider(Duration.ofSeconds(75));
                SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, catalogue(provider),
                        EndToEndIT.stdioEverything(), 1, Duration.ofSeconds(120))) {
            CompletableFuture<TestPeers.ClientResult> call = CompletableFuture.supplyAsync(() -> TestPeers.runClient(
                    List.of("http", services.broker().mcpUrl("everything"), "server gives up", "20"),
                    Map.of(), Duration.ofSeconds(150)));
            SamplingTopics topics = services.kafka.samplingTopics();
            String requestId = services.firstKey(topics.requests(), EndToEndIT.EVENTS_TIMEOUT);

            List<SpecificRecord> lifecycle = services.events(topics.lifecycle(), requestId, 1, Duration.ofSeconds(80));
            TestPeers.ClientResult result = call.get();

            assertThat(lifecycle).singleElement().isInstanceOf(SamplingCancelled.class);
            assertThat(result.output()).doesNotContain("slow answer");
            assertThat(provider.requestCount()).isEqualTo(1);
            assertThat(services.events(topics.lifecycle(), requestId, 2, Duration.ofSeconds(2))).hasSize(1);
        }
    }
}
