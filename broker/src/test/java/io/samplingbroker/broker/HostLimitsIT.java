package io.samplingbroker.broker;

import static io.samplingbroker.broker.BearerHosts.INITIALIZE;
import static io.samplingbroker.broker.BearerHosts.RESOURCE;
import static io.samplingbroker.broker.SdkHosts.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestIssuer;
import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/**
 * One host flooding the gateway is refused at its limits (429 or 503, {@code Retry-After}, a JSON-RPC error naming
 * the setting) while another host's sampling is still answered. Authenticated hosts, server-everything over stdio.
 */
@ExtendWith(KafkaStackExtension.class)
class HostLimitsIT {

    private static TestIssuer issuer;

    @BeforeAll
    static void startIssuer() throws Exception {
        issuer = TestIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void givenOneHostOpeningSessionsInAFlood_whenItPassesItsLimit_thenItIsRefusedAndAnotherHostIsStillAnswered(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "limits-sessions");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(config(kafka, new GatewayLimits(2, 10, 8, 3)))) {
            String url = broker.mcpUrl("everything");
            // When mallory opens sessions until refused
            List<HttpResponse<String>> flood = List.of(initialize(url, "mallory"), initialize(url, "mallory"),
                    initialize(url, "mallory"), initialize(url, "mallory"));
            // Then
            assertThat(flood).extracting(HttpResponse::statusCode).containsExactly(200, 200, 429, 429);
            HttpResponse<String> refused = flood.get(2);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
            JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
            assertThat(error.getInteger("code")).isEqualTo(-32005);
            assertThat(error.getString("message")).contains("broker.limits.sessions.per.host=2");
            // And alice is answered (the third server process)
            TestPeers.ClientResult alice = TestPeers.runHost("v1-client.mjs", url, "trigger-sampling-request",
                    "{\"prompt\":\"still served\",\"maxTokens\":20}", List.of("--sampling", "none"),
                    Map.of("HOST_TOKEN", token("alice")), Duration.ofSeconds(90));
            assertThat(alice.ok()).as(alice.output()).isTrue();
            assertThat(text(alice)).contains("stand-in answer for host alice").contains("still served");
            // And with a third process held again (alice's stops once she ends her session), a fourth is one too
            // many for the machine, whoever asks
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int carol = initialize(url, "carol").statusCode();
            while (carol == 503 && System.nanoTime() < until) {
                Thread.sleep(200);
                carol = initialize(url, "carol").statusCode();
            }
            assertThat(carol).isEqualTo(200);
            HttpResponse<String> dave = initialize(url, "dave");
            assertThat(dave.statusCode()).isEqualTo(503);
            assertThat(dave.headers().firstValue("Retry-After")).isPresent();
            assertThat(new JsonObject(dave.body()).getJsonObject("error").getString("message"))
                    .contains("broker.limits.stdio.processes=3");
        }
    }

    @Test
    void givenOneHostSendingRequestsInAFlood_whenItPassesItsLimit_thenItIsRefusedUntilOneEnds(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "limits-calls");
        try (Broker broker = Broker.start(config(kafka, new GatewayLimits(4, 10, 2, 4)))) {
            String url = broker.mcpUrl("everything");
            String sessionId = initialize(url, "mallory").headers().firstValue("Mcp-Session-Id").orElseThrow();
            send(url, "mallory", sessionId, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            String slow = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"trigger-long-running-operation\",\"arguments\":{\"duration\":3,\"steps\":1}}}";
            // When two slow calls are in flight and a third is sent
            var first = BearerHosts.sendAsync(BearerHosts.post(url, token("mallory"), sessionId, slow.formatted(10)));
            var second = BearerHosts.sendAsync(BearerHosts.post(url, token("mallory"), sessionId,
                    slow.formatted(11)));
            Thread.sleep(500);
            HttpResponse<String> third = send(url, "mallory", sessionId, slow.formatted(12));
            // Then
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(new JsonObject(third.body()).getValue("id")).as("answers the request's id").isEqualTo(12);
            assertThat(third.body()).contains("broker.limits.calls.per.host=2");
            assertThat(first.get().statusCode()).isEqualTo(200);
            assertThat(second.get().statusCode()).isEqualTo(200);
            assertThat(send(url, "mallory", sessionId, slow.formatted(13)).statusCode())
                    .as("once they ended").isEqualTo(200);
        }
    }

    @Test
    void givenSamplingRequestsWaitingInOneSession_whenItsServerAsksOnceTooOften_thenItIsRefusedAndOthersAreAnswered(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "limits-pending");
        // mallory's requests wait (nobody answers them), alice's are answered
        try (WorkerStandIn worker = new WorkerStandIn(kafka, request -> request.getContext().getHostId()
                .equals("alice") ? WorkerStandIn.echo(request) : Optional.empty());
                Broker broker = Broker.start(new BrokerConfig(kafka, "broker-limits-pending", "127.0.0.1", 0,
                        SamplingLimits.of(Duration.ofSeconds(4)).withPending(2, 3), Duration.ofMinutes(5),
                        GatewayIT.stdioEverything(), BearerHosts.gateway(issuer)))) {
            String url = broker.mcpUrl("everything");
            String sessionId = initialize(url, "mallory").headers().firstValue("Mcp-Session-Id").orElseThrow();
            send(url, "mallory", sessionId, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            String sample = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"trigger-sampling-request\",\"arguments\":{\"prompt\":\"again\",\"maxTokens\":5}}}";
            // When two wait and the server asks a third time in the session
            var first = BearerHosts.sendAsync(BearerHosts.post(url, token("mallory"), sessionId, sample.formatted(1)));
            var second = BearerHosts.sendAsync(BearerHosts.post(url, token("mallory"), sessionId,
                    sample.formatted(2)));
            Thread.sleep(1_000);
            HttpResponse<String> third = send(url, "mallory", sessionId, sample.formatted(3));
            TestPeers.ClientResult alice = TestPeers.runHost("v1-client.mjs", url, "trigger-sampling-request",
                    "{\"prompt\":\"still served\",\"maxTokens\":20}", List.of("--sampling", "none"),
                    Map.of("HOST_TOKEN", token("alice")), Duration.ofSeconds(90));
            // Then the third is refused at once with the setting named, and another host is answered
            assertThat(third.body()).contains("broker.sampling.pending.per.session=2");
            assertThat(alice.ok()).as(alice.output()).isTrue();
            assertThat(text(alice)).contains("stand-in answer for host alice");
            // And once the two have ended (expired: nobody answered), the session may ask again
            assertThat(first.get().body()).doesNotContain("pending.per.session");
            assertThat(second.get().body()).doesNotContain("pending.per.session");
            assertThat(send(url, "mallory", sessionId, sample.formatted(4)).body())
                    .doesNotContain("pending.per.session");
        }
    }

    @Test
    void givenAServerThatCannotStart_whenHostsTryAgain_thenEachFailedStartGivesItsProcessPlaceBack(KafkaStack stack) {
        KafkaSettings kafka = GatewayIT.kafka(stack, "limits-broken");
        Map<String, UpstreamSpec> broken = Map.of("broken", new UpstreamSpec.Stdio("broken",
                List.of("/nonexistent/mcp-server"), Map.of(), null));
        try (Broker broker = Broker.start(new BrokerConfig(kafka, "broker-limits-broken", "127.0.0.1", 0,
                SamplingLimits.of(Duration.ofSeconds(30)), Duration.ofMinutes(5), broken,
                BearerHosts.gateway(issuer).withLimits(new GatewayLimits(4, 10, 8, 1))))) {
            String token = issuer.token("alice", "tenant-a", "sampling:use", RESOURCE + "/mcp");
            // When the one process place is taken by a start that fails, twice
            List<Integer> statuses = List.of(1, 2).stream().map(attempt -> BearerHosts.send(BearerHosts.post(
                    broker.mcpUrl("broken"), token, null, INITIALIZE)).statusCode()).toList();
            // Then each is the server's failure (502), not a full machine (503)
            assertThat(statuses).containsExactly(502, 502);
        }
    }

    private static BrokerConfig config(KafkaSettings kafka, GatewayLimits limits) {
        return new BrokerConfig(kafka, "broker-" + kafka.topics().prefix().replace(".", ""), "127.0.0.1", 0,
                SamplingLimits.of(Duration.ofSeconds(30)), Duration.ofMinutes(5), GatewayIT.stdioEverything(),
                BearerHosts.gateway(issuer).withLimits(limits));
    }

    private static String token(String subject) {
        return issuer.token(subject, "tenant-a", "sampling:use", RESOURCE + "/mcp/everything");
    }

    private static HttpResponse<String> initialize(String url, String host) {
        return send(url, host, null, INITIALIZE);
    }

    private static HttpResponse<String> send(String url, String host, String sessionId, String body) {
        return BearerHosts.send(BearerHosts.post(url, token(host), sessionId, body));
    }
}
