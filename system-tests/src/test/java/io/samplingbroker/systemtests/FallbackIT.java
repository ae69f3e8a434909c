package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.testsupport.AnthropicMessagesServer;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * A primary model whose provider is overloaded: the fallback answers the server, the completion records both
 * attempts and the audit timeline shows them; after two failures the primary's circuit opens and later requests go
 * to the fallback without calling the primary's provider.
 */
@ExtendWith(KafkaStackExtension.class)
class FallbackIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Claude on the local Anthropic-format server, falling back to the offline model; its circuit opens early. */
    private static String catalogue(AnthropicMessagesServer anthropic) {
        return """
                defaultModel: claude-sonnet-4-5
                providers:
                  claude:
                    type: anthropic
                    baseUrl: %s
                    apiKey: test-key
                    maxRetries: 2
                    circuitBreaker: {failureThreshold: 2, openMs: 600000}
                  offline: {type: offline}
                models:
                  - name: claude-sonnet-4-5
                    provider: claude
                    fallbacks: [offline-echo]
                  - name: offline-echo
                    provider: offline
                """.formatted(anthropic.baseUrl());
    }

    @Test
    void givenAnOverloadedPrimary_whenServersSample_thenTheFallbackAnswersWithEveryAttemptOnTheTimeline(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (AnthropicMessagesServer anthropic = AnthropicMessagesServer.start()
                .replyByDefault(AnthropicMessagesServer.overloaded());
                SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, catalogue(anthropic),
                        EndToEndIT.stdioEverything(), 1, Duration.ofSeconds(60))) {
            List<String> prompts = List.of("first while overloaded", "second while overloaded", "after it opened");
            for (String prompt : prompts) {
                TestPeers.ClientResult result = TestPeers.runClient(List.of("http",
                        services.broker().mcpUrl("everything"), prompt, "20"), Map.of(), EndToEndIT.CLIENT_TIMEOUT);
                assertThat(result.output()).as(result.output()).contains("offline-echo").contains(prompt);
            }

            assertThat(anthropic.requests()).as("one call per request before the circuit opened, none after it")
                    .hasSize(2);
            String[] connection = AuditHistory.connection(stack, services.kafka.topics().prefix());
            List<JsonNode> completions = completionEvents(connection, prompts.size());
            assertThat(completions).extracting(event -> event.path("actor").asText() + ": " + attempts(event))
                    .containsExactlyInAnyOrder(
                            "offline/offline-echo: claude/claude-sonnet-4-5 PROVIDER_UNAVAILABLE 529, offline/offline-echo",
                            "offline/offline-echo: claude/claude-sonnet-4-5 PROVIDER_UNAVAILABLE 529, offline/offline-echo",
                            "offline/offline-echo: claude/claude-sonnet-4-5 PROVIDER_CIRCUIT_OPEN, offline/offline-echo");
            AuditHistory.Output table = AuditHistory.audit(AuditHistory.append(connection, "timeline"));
            assertThat(table.out()).contains("attempt 1: claude/claude-sonnet-4-5 PROVIDER_UNAVAILABLE (HTTP 529)")
                    .contains("attempt 1: claude/claude-sonnet-4-5 PROVIDER_CIRCUIT_OPEN")
                    .contains("attempt 2: offline/offline-echo answered");
            assertThat(table.status()).as(table.err()).isZero();
        }
    }

    /** An event's attempts as {@code provider/model [errorCode [httpStatus]]}, comma-separated. */
    private static String attempts(JsonNode event) {
        List<String> each = new ArrayList<>();
        for (JsonNode attempt : event.path("attempts")) {
            assertThat(attempt.path("latencyMs").asLong()).isNotNegative();
            assertThat(attempt.path("startedAt").asText()).isNotEmpty();
            each.add((attempt.path("provider").asText() + "/" + attempt.path("model").asText() + " "
                    + attempt.path("errorCode").asText("") + " " + attempt.path("httpStatus").asText("")).trim());
        }
        return String.join(", ", each);
    }

    /** The completed events of the timelines, once {@code count} requests have ended. */
    private static List<JsonNode> completionEvents(String[] connection, int count) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            events.clear();
            AuditHistory.Output output = AuditHistory.audit(AuditHistory.append(connection, "timeline", "--format",
                    "jsonl"));
            for (String line : output.out().split("\n")) {
                if (!line.isBlank()) {
                    for (JsonNode event : JSON.readTree(line).path("events")) {
                        if ("completed".equals(event.path("type").asText())) {
                            events.add(event);
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        assertThat(events).as("completed events on the timelines").hasSize(count);
        return events;
    }
}
