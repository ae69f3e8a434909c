package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.broker.delegation.DelegationSettings;
import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/**
 * 2026-07-28 hosts at the HTTP level, against the SDK v2 fixture server: what any instance can serve, what is refused
 * and with which error, and what a host that leaves cancels.
 */
@ExtendWith(KafkaStackExtension.class)
class SessionlessHostIT {

    private static final byte[] SHARED = "one secret for every broker instance!".getBytes(StandardCharsets.UTF_8);
    private static TestPeers.HttpPeer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() throws Exception {
        server = TestPeers.startMrtrServer(TestPeers.MrtrMode.STATELESS);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void givenTwoInstancesWithOneKey_whenTheRetryOfAMixedRoundReachesTheOther_thenItCompletesWithTheHeldAnswer(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "stateless-two");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker first = Broker.start(config(kafka, "broker-s1"));
                Broker second = Broker.start(config(kafka, "broker-s2"))) {
            JsonObject asked = post(first.mcpUrl("mrtr"), call(1, "mixed", new JsonObject().put("prompt", "split")),
                    headers("tools/call", "mixed")).body();

            JsonObject inputRequired = asked.getJsonObject("result");
            assertThat(inputRequired.getString("resultType")).isEqualTo("input_required");
            assertThat(inputRequired.getJsonObject("inputRequests").fieldNames()).as("only the host's own input")
                    .containsExactly("name");
            String state = inputRequired.getString("requestState");
            assertThat(state).startsWith("sampling-broker.1.").doesNotContain("stand-in");

            JsonObject retry = call(2, "mixed", new JsonObject().put("prompt", "split"));
            retry.getJsonObject("params").put("requestState", state).put("inputResponses", new JsonObject()
                    .put("name", new JsonObject().put("action", "accept").put("content", new JsonObject()
                            .put("name", "Lin"))));
            JsonObject done = post(second.mcpUrl("mrtr"), retry, headers("tools/call", "mixed")).body();

            assertThat(done.getInteger("id")).isEqualTo(2);
            assertThat(done.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"))
                    .startsWith("sampled: stand-in answer").endsWith("| elicited: accept {\"name\":\"Lin\"}");
            assertThat(worker.seen()).hasSize(1);

            String tampered = state.substring(0, state.length() - 3) + (state.endsWith("AAA") ? "BBB" : "AAA");
            retry.getJsonObject("params").put("requestState", tampered);
            Answer refused = post(second.mcpUrl("mrtr"), retry, headers("tools/call", "mixed"));
            assertThat(refused.body().getJsonObject("error").getInteger("code")).isEqualTo(-32602);
            assertThat(refused.body().getJsonObject("error").getString("message"))
                    .isEqualTo("Invalid or expired requestState: it was altered");
            assertThat(worker.seen()).as("nothing sampled for a tampered state").hasSize(1);
        }
    }

    @Test
    void givenMalformedSessionlessRequests_whenPosted_thenEachGetsTheSpecsErrorWithItsId(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "stateless-bad");
        try (Broker broker = Broker.start(config(kafka, "broker-s3"))) {
            String url = broker.mcpUrl("mrtr");
            JsonObject echo = call(5, "echo", new JsonObject().put("text", "x"));

            assertError(post(url, echo, Map.of("Mcp-Method", "tools/call", "Mcp-Name", "echo")), 400, -32020,
                    "MCP-Protocol-Version header is required");
            assertError(post(url, echo, headers("tools/list", "echo")), 400, -32020, "disagrees with the method");
            assertError(post(url, echo, headers("tools/call", "sample")), 400, -32020, "Mcp-Name header (sample)");
            JsonObject future = call(5, "echo", new JsonObject().put("text", "x"));
            future.getJsonObject("params").getJsonObject("_meta").put("io.modelcontextprotocol/protocolVersion",
                    "2027-01-01");
            assertError(post(url, future, headers("tools/call", "echo")), 400, -32020,
                    "header (2026-07-28) disagrees with params._meta (2027-01-01)");
            Answer unsupported = post(url, future, Map.of("MCP-Protocol-Version", "2027-01-01", "Mcp-Method",
                    "tools/call", "Mcp-Name", "echo"));
            assertError(unsupported, 400, -32022, "Unsupported protocol version 2027-01-01");
            assertThat(unsupported.body().getJsonObject("error").getJsonObject("data").getJsonArray("supported"))
                    .containsExactly("2026-07-28");
            JsonObject bare = new JsonObject().put("jsonrpc", "2.0").put("id", 5).put("method", "tools/call")
                    .put("params", new JsonObject().put("name", "echo"));
            assertError(post(url, bare, headers("tools/call", "echo")), 400, -32602, "_meta envelope");
            JsonObject ping = new JsonObject().put("jsonrpc", "2.0").put("id", 5).put("method", "ping");
            assertError(post(url, ping, Map.of("MCP-Protocol-Version", "1999-01-01")), 400, -32022,
                    "supported: [2026-07-28, 2025-11-25");
            JsonObject noCapabilities = call(5, "echo", new JsonObject().put("text", "x"));
            noCapabilities.getJsonObject("params").getJsonObject("_meta")
                    .remove("io.modelcontextprotocol/clientCapabilities");
            assertError(post(url, noCapabilities, headers("tools/call", "echo")), 400, -32602,
                    "io.modelcontextprotocol/clientCapabilities");
            assertThat(post(url, echo, headers("tools/call", "echo")).body().getJsonObject("result")
                    .getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("x");
        }
    }

    @Test
    void givenAForeignHostHeader_whenPostedWithoutOrigin_thenItIsRefused(KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "stateless-host");
        try (Broker broker = Broker.start(config(kafka, "broker-s4"))) {
            // java.net.http refuses to set Host; a raw socket sends what a rebinding page's browser would.
            URI url = URI.create(broker.mcpUrl("mrtr"));
            String body = call(9, "echo", new JsonObject().put("text", "x")).encode();
            try (java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort())) {
                socket.getOutputStream().write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: evil.example.com\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                        + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                // Refused before the body is read: nothing of a rebinding page's request is processed.
                assertThat(response).startsWith("HTTP/1.1 403").contains("Host evil.example.com is not allowed")
                        .contains("\"id\":null");
            }
        }
    }

    @Test
    void givenAHostThatLeavesWhileItsSamplingWaits_whenItsConnectionCloses_thenTheSamplingIsCancelled(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "stateless-leave");
        try (WorkerStandIn silent = new WorkerStandIn(kafka, request -> Optional.empty());
                Broker broker = Broker.start(config(kafka, "broker-s5"))) {
            TestPeers.ClientResult result = TestPeers.runHost("v2-client.mjs", broker.mcpUrl("mrtr"), "sample",
                    "{\"prompt\":\"I will not wait\"}", List.of("--sampling", "none", "--cancel-after", "3000"), Map.of(),
                    Duration.ofSeconds(60));

            assertThat(result.output()).contains("CANCELLED");
            List<SpecificRecord> lifecycle = GatewayIT.lifecycleEvents(stack, kafka, 1);
            assertThat(lifecycle).singleElement().isInstanceOfSatisfying(SamplingCancelled.class,
                    cancelled -> assertThat(cancelled.getReason()).isEqualTo("the host closed its connection"));
            assertThat(silent.seen()).hasSize(1);
            assertThat(broker.dispatcher().pendingCount()).isZero();
        }
    }

    @Test
    void givenA2025HostThatCancelsItsCall_whenTheServerIs2026_thenThePendingSamplingIsCancelled(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "bridge-cancel");
        try (WorkerStandIn silent = new WorkerStandIn(kafka, request -> Optional.empty());
                Broker broker = Broker.start(config(kafka, "broker-s6"))) {
            CompletableFuture<TestPeers.ClientResult> call = CompletableFuture.supplyAsync(() -> TestPeers.runHost(
                    "v1-client.mjs", broker.mcpUrl("mrtr"), "sample", "{\"prompt\":\"cancel me\"}",
                    List.of("--sampling", "none", "--cancel-after", "3000"), Map.of(), Duration.ofSeconds(60)));

            assertThat(call.get().output()).contains("CANCELLED");
            assertThat(GatewayIT.lifecycleEvents(stack, kafka, 1)).singleElement().isInstanceOf(SamplingCancelled.class);
            assertThat(broker.dispatcher().pendingCount()).isZero();
        }
    }

    private static BrokerConfig config(KafkaSettings kafka, String instanceId) {
        return new BrokerConfig(kafka, instanceId, "127.0.0.1", 0, SamplingLimits.of(Duration.ofSeconds(30)),
                Duration.ofMinutes(5),
                Map.of("mrtr", new UpstreamSpec.Http("mrtr", URI.create(server.url()), Map.of())),
                new GatewaySettings(GatewaySettings.LOOPBACK_HOSTS, Set.of(), 8, SHARED, HostAuthSettings.none(),
                        GatewayLimits.DEFAULTS, DelegationSettings.DEFAULTS));
    }

    private static JsonObject call(int id, String tool, JsonObject arguments) {
        JsonObject meta = new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
                .put("io.modelcontextprotocol/clientCapabilities", new JsonObject().put("elicitation",
                        new JsonObject().put("form", new JsonObject())))
                .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw-host").put("version", "1"));
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
                .put("params", new JsonObject().put("name", tool).put("arguments", arguments).put("_meta", meta));
    }

    private static Map<String, String> headers(String method, String name) {
        return Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method, "Mcp-Name", name);
    }

    private record Answer(int status, JsonObject body) {
    }

    private Answer post(String url, JsonObject body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), new JsonObject(response.body()));
    }

    private static void assertError(Answer answer, int status, int code, String message) {
        assertThat(answer.status()).as(answer.body().encode()).isEqualTo(status);
        assertThat(answer.body().getInteger("id")).isEqualTo(5);
        assertThat(answer.body().getJsonObject("error").getInteger("code")).isEqualTo(code);
        assertThat(answer.body().getJsonObject("error").getString("message")).contains(message);
    }
}
