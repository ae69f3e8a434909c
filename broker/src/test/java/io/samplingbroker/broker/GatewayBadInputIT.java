package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.samplingbroker.broker.sampling.SamplingOrigin;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/** Bad input gets a clear error with the right status and JSON-RPC code, and loses nothing. */
@ExtendWith(KafkaStackExtension.class)
class GatewayBadInputIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void givenMalformedRequests_whenPosted_thenEachGetsTheRightStatusAndAJsonRpcError(KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "bad-input");
        Map<String, UpstreamSpec> servers = GatewayIT.stdioEverything();
        try (Broker broker = Broker.start(GatewayIT.config(kafka, "broker-b", servers, Duration.ofSeconds(5)))) {
            String url = broker.mcpUrl("everything");
            String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

            assertThat(post(url, "{not json", Map.of())).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(r.body()).contains("-32700").contains("not valid JSON");
            });
            assertThat(post(url, ping, Map.of())).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(r.body()).contains("Mcp-Session-Id header is required");
            });
            assertThat(post(url, ping, Map.of("Mcp-Session-Id", "no-such-session"))).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(404);
                assertThat(r.body()).contains("Unknown or expired session");
            });
            assertThat(post(url.replace("everything", "nothing"), ping, Map.of())).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(404);
                assertThat(r.body()).contains("No upstream server named 'nothing'");
            });
            HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(ping)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrongType.statusCode()).isEqualTo(415);
            assertThat(post(url, "[" + ping + "]", Map.of()).body()).contains("batches are not supported");
            assertThat(post(url, ping, Map.of("Origin", "https://evil.example"))).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(403);
                assertThat(r.body()).contains("Origin https://evil.example is not allowed");
            });
            assertThat(post(url, ping, Map.of("Origin", "http://localhost:6274")).statusCode())
                    .as("a local page such as the MCP Inspector passes the origin check").isEqualTo(400);
        }
    }

    @Test
    void givenInvalidSamplingParams_whenTheServerAsks_thenItGetsInvalidParamsAndNothingIsPublished(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "bad-params");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-p", Map.of(), Duration.ofSeconds(5)))) {
            JsonRpcMessage request = JsonRpcMessage.parse("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":"
                    + "\"sampling/createMessage\",\"params\":{\"messages\":[{\"role\":\"user\",\"content\":"
                    + "{\"type\":\"text\",\"text\":\"hi\"}}]}}");

            SamplingOrigin origin = new SamplingOrigin(HostIdentity.selfNamed("h"), "s", "session", null, null, null,
                    null, null, null);
            SamplingOutcome outcome = broker.dispatcher().submit(origin, request).toCompletableFuture().get();

            assertThat(outcome).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
                assertThat(reply.errorCode()).isEqualTo(-32602);
                assertThat(reply.message().text()).contains("\"id\":\"s-1\"").contains("/maxTokens: is required");
            });
            Thread.sleep(1_000);
            assertThat(worker.seen()).isEmpty();
        }
    }

    @Test
    void givenADrainingBroker_whenAHostStartsASessionOrACall_thenItIsSentToAnotherInstanceAndReadinessSaysWhy(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "draining");
        try (Broker broker = Broker.start(GatewayIT.config(kafka, "broker-d", GatewayIT.stdioEverything(),
                Duration.ofSeconds(5)))) {
            assertThat(broker.readiness().get("gateway").problem()).isNull();
            // When it drains (nothing pending: at once)
            broker.drain();
            // Then a new session is refused with 503 and Retry-After, as a JSON-RPC error naming why
            String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                    + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\","
                    + "\"version\":\"1\"}}}";
            assertThat(post(broker.mcpUrl("everything"), initialize, Map.of())).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("0");
                assertThat(r.body()).contains("\"id\":1").contains("This broker instance is stopping");
            });
            // and so is a sessionless 2026-07-28 call
            assertThat(post(broker.mcpUrl("everything"), "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                    Map.of("MCP-Protocol-Version", "2026-07-28")).statusCode()).isEqualTo(503);
            assertThat(broker.readiness().get("gateway").problem()).isEqualTo("draining");
        }
    }

    private HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
