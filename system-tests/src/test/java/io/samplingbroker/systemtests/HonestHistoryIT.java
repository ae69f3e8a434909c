package io.samplingbroker.systemtests;

import static io.samplingbroker.systemtests.AuditHistory.append;
import static io.samplingbroker.systemtests.AuditHistory.audit;
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

import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.systemtests.AuditHistory.Output;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/**
 * The broker's answers to requests the pipeline never saw are in the history too: an 8 MB request the broker's own
 * limit lets through but Kafka's record limit does not (it was published and refused, and the error's delivery used to
 * follow a request event that was never written), and an invalid one. Each has a refusal in place of its request
 * event, with its size and hash, and {@code audit verify} passes on that honest history.
 */
@ExtendWith(KafkaStackExtension.class)
class HonestHistoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenRequestsThePipelineNeverSees_whenTheBrokerRefusesThem_thenTheAuditExplainsEachAnswerAndVerifyPasses(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        Map<String, UpstreamSpec> hostile = Map.of("hostile", new UpstreamSpec.Stdio("hostile", List.of("node",
                TestPeers.directory().resolve("hostile-server.mjs").toString()), Map.of(), null));
        // records up to 16 MB as far as the broker is concerned; Kafka's producer takes at most 1 MiB
        SamplingLimits limits = SamplingLimits.of(Duration.ofSeconds(20)).withMaxRequestBytes(16 * 1024 * 1024);
        String prefix;
        try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null, hostile,
                limits)) {
            prefix = services.kafka.topics().prefix();
            // When
            JsonObject large = send(services, "too-large");
            JsonObject invalid = send(services, "mixed-tool-result");
            // Then the servers heard why
            assertThat(large.getJsonObject("error").getInteger("code")).as(large.encode())
                    .isEqualTo(SamplingErrors.REQUEST_NOT_RECORDED);
            assertThat(large.getJsonObject("error").getString("message")).contains("RecordTooLargeException");
            assertThat(invalid.getJsonObject("error").getInteger("code")).isEqualTo(SamplingErrors.INVALID_PARAMS);
            List<JsonNode> timelines = awaitRefusals(AuditHistory.connection(stack, prefix), 2);
            // and the audit explains each answer from its refusal
            assertThat(timelines).extracting(t -> t.path("outcome").asText()).containsOnly("refused");
            String events = timelines.toString();
            assertThat(events).contains("NOT_RECORDED").contains("RecordTooLargeException")
                    .contains("INVALID_PARAMS").contains("bytes, SHA-256 ");
        }
        Output verified = audit(append(AuditHistory.connection(stack, prefix), "verify"));
        assertThat(verified.status()).as(verified.out() + verified.err()).isZero();
    }

    /** Has the hostile server send one of its cases, and returns the broker's JSON-RPC answer to it. */
    private static JsonObject send(SamplingStack services, String hostileCase) {
        TestPeers.ClientResult result = TestPeers.runHost("v1-client.mjs", services.broker().mcpUrl("hostile"), "send",
                new JsonObject().put("case", hostileCase).encode(), List.of("--sampling", "none"), Map.of(),
                Duration.ofSeconds(60));
        assertThat(result.ok()).as(result.output()).isTrue();
        JsonObject report = new JsonObject(new JsonObject(result.output()).getJsonObject("result")
                .getJsonArray("content").getJsonObject(0).getString("text"));
        assertThat(report.getValue("answer")).as(hostileCase + ": " + report).isInstanceOf(JsonObject.class);
        return report.getJsonObject("answer");
    }

    /** The timelines once {@code count} refused requests have been delivered their error (written asynchronously). */
    private static List<JsonNode> awaitRefusals(String[] connection, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> timelines = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Output output = audit(append(connection, "timeline", "--format", "jsonl", "--show-content"));
            assertThat(output.status()).as(output.err()).isZero();
            timelines.clear();
            for (String line : output.out().split("\n")) {
                if (!line.isBlank()) {
                    timelines.add(JSON.readTree(line));
                }
            }
            if (timelines.size() >= count && timelines.stream().allMatch(t -> t.toString().contains("\"delivered\""))) {
                return timelines;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("Expected " + count + " delivered refusals, the audit has " + timelines);
    }
}
