package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.events.RefusalReason;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/**
 * A hostile server ({@code hostile-server.mjs}) sends broken and abusive sampling requests; each gets a clear
 * JSON-RPC error answering its id (null where none can be read), nothing reaches the workers (the sampling requests
 * among them are recorded as the broker's refusals), and nobody waits for ever.
 */
@ExtendWith(KafkaStackExtension.class)
class HostileServerIT {

    @Test
    void givenBrokenSamplingRequests_whenTheServerSendsThem_thenEachIsAnsweredWithTheRightCodeAndItsId(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "hostile");
        Map<String, UpstreamSpec> servers = Map.of("hostile", new UpstreamSpec.Stdio("hostile", List.of("node",
                TestPeers.directory().resolve("hostile-server.mjs").toString()), Map.of(), null));
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-h1", servers, Duration.ofSeconds(20)))) {
            assertAnswer(broker, "object-id", "null", -32600, "the id must be a string or an integer");
            assertAnswer(broker, "nan", "\"nan-1\"", -32700, "not valid JSON");
            assertAnswer(broker, "jsonrpc-1.0", "\"v1-1\"", -32600, "\"jsonrpc\" must be \"2.0\"");
            assertAnswer(broker, "deep", "\"deep-1\"", -32700, "not valid JSON");
            assertAnswer(broker, "too-large", "\"large-1\"", -32602,
                    "this broker records at most 1000000 (broker.sampling.max.request.bytes)");
            assertAnswer(broker, "mixed-tool-result", "\"mixed-1\"", -32602, "/messages/1/content");
            assertAnswer(broker, "orphan-tool-result", "\"orphan-1\"", -32602, "toolUseId");
            assertAnswer(broker, "bad-base64", "\"b64-1\"", -32602, "/messages/0/content/data");
            assertThat(worker.seen()).as("nothing broken reached the workers").isEmpty();
            // the four that were sampling requests (the others are not JSON-RPC) are recorded as refusals
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (worker.refused().size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(worker.refused()).extracting(SamplingRefused::getReason).containsExactlyInAnyOrder(
                    RefusalReason.TOO_LARGE, RefusalReason.INVALID_PARAMS, RefusalReason.INVALID_PARAMS,
                    RefusalReason.INVALID_PARAMS);
        }
    }

    private static void assertAnswer(Broker broker, String hostileCase, String idJson, int code, String message) {
        TestPeers.ClientResult result = TestPeers.runHost("v1-client.mjs", broker.mcpUrl("hostile"), "send",
                new JsonObject().put("case", hostileCase).encode(), List.of("--sampling", "none"), Map.of(),
                Duration.ofSeconds(60));
        assertThat(result.ok()).as(result.output()).isTrue();
        JsonObject report = new JsonObject(new JsonObject(result.output()).getJsonObject("result").getJsonArray("content")
                .getJsonObject(0).getString("text"));
        assertThat(report.getValue("answer")).as(hostileCase + ": " + report).isInstanceOf(JsonObject.class);
        JsonObject answer = report.getJsonObject("answer");
        assertThat(io.vertx.core.json.Json.encode(answer.getValue("id"))).as(hostileCase).isEqualTo(idJson);
        assertThat(answer.getJsonObject("error").getInteger("code")).as(hostileCase + ": " + answer).isEqualTo(code);
        assertThat(answer.getJsonObject("error").getString("message")).as(hostileCase).contains(message);
    }
}
