package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
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

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.samplingbroker.sdkadapter.BrokerSampling;
import io.samplingbroker.systemtests.AuditHistory.Output;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * A host built on the MCP Java SDK that samples through the broker: it connects to the real server-everything itself
 * (stdio), and its sampling handler is the adapter, which hands each request to the delegation API. The broker's
 * policy decides, the offline model answers, and the audit tells the story of each request.
 */
@ExtendWith(KafkaStackExtension.class)
class JavaSdkHostIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = """
            defaultAction: approve
            rules:
              - id: no-secrets
                when: {textMatches: ['(?i)password']}
                action: deny
                reason: Prompts with passwords are not sent to models.
            """;

    @Test
    void givenAJavaSdkHostWithTheAdapter_whenServerEverythingSamples_thenThePolicyDecidesAndTheAuditShowsIt(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, POLICY, null, Map.of(), 1,
                Duration.ofSeconds(30))) {
            String gateway = services.broker().delegationUrl().replace("/v1", "");
            List<String> command = TestPeers.serverEverything("stdio");
            StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(command.get(0))
                    .args(command.subList(1, command.size())).build(), new JacksonMcpJsonMapper(new ObjectMapper()));
            // the one line a Java host adds: its sampling goes to the broker
            try (McpSyncClient host = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90))
                    .capabilities(new McpSchema.ClientCapabilities(null, null,
                            new McpSchema.ClientCapabilities.Sampling(), null))
                    .sampling(BrokerSampling.to(URI.create(gateway), "everything").hostId("java-host").build())
                    .build()) {
                host.initialize();

                McpSchema.CallToolResult answered = host.callTool(sample("What is MCP sampling?"));
                assertThat(text(answered)).contains("offline-echo").contains("What is MCP sampling?");

                String denied = deniedCall(host);
                assertThat(denied).as("the gateway's denial, as a server on /mcp would get it")
                        .contains("MCP error -1: User rejected sampling request");
            }

            List<JsonNode> timelines = awaitTimelines(AuditHistory.connection(stack, services.kafka.topics().prefix()),
                    2);
            assertThat(timelines).allSatisfy(timeline -> {
                assertThat(timeline.path("host").asText()).isEqualTo("java-host");
                assertThat(timeline.path("server").asText()).isEqualTo("everything");
            });
            assertThat(timelines).extracting(timeline -> decisions(timeline))
                    .containsExactlyInAnyOrder(List.of("defaultAction APPROVED"), List.of("no-secrets DENIED"));
            assertThat(timelines).extracting(timeline -> lastStep(timeline)).containsOnly("delivered");
        }
    }

    /** server-everything reports a sampling error as the tool's error, or fails the call: either names it. */
    private static String deniedCall(McpSyncClient host) {
        try {
            McpSchema.CallToolResult result = host.callTool(sample("my password is hunter2"));
            assertThat(result.isError()).as(text(result)).isTrue();
            return text(result);
        } catch (McpError e) {
            return e.getMessage();
        }
    }

    /** server-everything's tool that asks the host to sample {@code prompt}. */
    private static McpSchema.CallToolRequest sample(String prompt) {
        return McpSchema.CallToolRequest.builder("trigger-sampling-request")
                .arguments(Map.of("prompt", prompt, "maxTokens", 60)).build();
    }

    private static String text(McpSchema.CallToolResult result) {
        StringBuilder text = new StringBuilder();
        result.content().forEach(content -> {
            if (content instanceof McpSchema.TextContent block) {
                text.append(block.text()).append('\n');
            }
        });
        return text.toString();
    }

    private static List<String> decisions(JsonNode timeline) {
        List<String> decisions = new ArrayList<>();
        timeline.path("events").forEach(event -> {
            if (event.has("decision") && event.path("type").asText().equals("decided")) {
                decisions.add(event.path("actor").asText() + " " + event.path("decision").asText());
            }
        });
        return decisions;
    }

    private static String lastStep(JsonNode timeline) {
        JsonNode events = timeline.path("events");
        return events.get(events.size() - 1).path("type").asText();
    }

    /** {@code audit timeline --format jsonl} until {@code count} requests have ended. */
    private static List<JsonNode> awaitTimelines(String[] connection, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> ended = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Output output = AuditHistory.audit(AuditHistory.append(connection, "timeline", "--format", "jsonl"));
            assertThat(output.status()).as(output.err()).isZero();
            ended.clear();
            for (String line : output.out().split("\n")) {
                if (!line.isBlank() && !JSON.readTree(line).path("outcome").asText().equals("open")) {
                    ended.add(JSON.readTree(line));
                }
            }
            if (ended.size() == count) {
                return ended;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Not every request ended within 30 s: " + ended);
    }
}
