package io.samplingbroker.broker;

import static io.samplingbroker.broker.BearerHosts.INITIALIZE;
import static io.samplingbroker.broker.BearerHosts.RESOURCE;
import static io.samplingbroker.broker.BearerHosts.send;
import static io.samplingbroker.broker.SdkHosts.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestIssuer;
import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/**
 * The gateway as an OAuth resource server: hosts on the real SDKs with bearer tokens of a local issuer
 * ({@link TestIssuer}, standing in for an identity provider), and raw HTTP for each way a token can be wrong.
 */
@ExtendWith(KafkaStackExtension.class)
class HostAuthenticationIT {

    private static final String AUDIENCE = RESOURCE + "/mcp/everything";
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
    void givenHostsWithTokens_whenTheyNameThemselvesOtherwise_thenEachIsRecordedAsItsTokensSubject(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "auth-hosts");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(config(kafka, "broker-auth-1"))) {
            // When a host claims to be someone else, in the header (and in clientInfo, which the SDK fills)
            TestPeers.ClientResult v1 = TestPeers.runHost("v1-client.mjs", broker.mcpUrl("everything"),
                    "trigger-sampling-request", "{\"prompt\":\"as alice\",\"maxTokens\":20}", List.of("--sampling",
                            "none"), Map.of("HOST_TOKEN", token("alice-laptop"), "HOST_ID", "bob-desktop"),
                    Duration.ofSeconds(90));
            TestPeers.ClientResult v2 = TestPeers.runHost("v2-client.mjs", broker.mcpUrl("everything"),
                    "trigger-sampling-request", "{\"prompt\":\"as carol\",\"maxTokens\":20}", List.of("--sampling",
                            "none", "--version", "2026-07-28"), Map.of("HOST_TOKEN", token("carol-ci"),
                            "HOST_ID", "bob-desktop"), Duration.ofSeconds(90));
            // Then
            assertThat(v1.ok()).as(v1.output()).isTrue();
            assertThat(text(v1)).contains("stand-in answer for host alice-laptop");
            assertThat(v2.ok()).as(v2.output()).isTrue();
            assertThat(text(v2)).contains("stand-in answer for host carol-ci");
            assertThat(worker.seen()).extracting(r -> r.getContext().getHostId())
                    .containsExactlyInAnyOrder("alice-laptop", "carol-ci");
            assertThat(worker.seen()).allSatisfy(request -> {
                assertThat(request.getContext().getTenant()).as("from the token").isEqualTo("tenant-a");
                assertThat(request.getHostLabel()).as("the name it gave, as a label").isEqualTo("bob-desktop");
            });
        }
    }

    @Test
    void givenTokensThatAreMissingExpiredOrForOthers_whenUsed_thenEachGets401WithAChallengeAndNothingIsAsked(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "auth-refused");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(config(kafka, "broker-auth-2"))) {
            String url = broker.mcpUrl("everything");
            Instant past = Instant.now().minus(Duration.ofMinutes(10));
            Map<String, String> refused = Map.of(
                    "expired", issuer.sign(issuer.claims("h", "t1", "sampling:use", AUDIENCE, past).build()),
                    "audience", issuer.token("h", "t1", "sampling:use", "https://other.test/mcp/everything"),
                    "issuer", issuer.sign(issuer.claims("h", "t1", "sampling:use", AUDIENCE, Instant.now()
                            .plusSeconds(300)).issuer("https://evil.test").build()),
                    "signature", TestIssuer.forge(issuer.claims("h", "t1", "sampling:use", AUDIENCE, Instant.now()
                            .plusSeconds(300)).build()),
                    "garbage", "not-a-jwt");

            HttpResponse<String> none = post(url, null, INITIALIZE);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer resource_metadata=\""
                    + RESOURCE + "/.well-known/oauth-protected-resource/mcp/everything\"");
            refused.forEach((why, token) -> {
                HttpResponse<String> response = post(url, token, INITIALIZE);
                assertThat(response.statusCode()).as(why).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).as(why)
                        .startsWith("Bearer error=\"invalid_token\", error_description=\"")
                        .contains("resource_metadata=");
                assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).as(why)
                        .startsWith("Invalid token: ");
            });
            HttpResponse<String> noScope = post(url, issuer.token("h", "t1", "profile", AUDIENCE), INITIALIZE);
            assertThat(noScope.statusCode()).isEqualTo(403);
            assertThat(noScope.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("error=\"insufficient_scope\"").contains("scope=\"sampling:use\"");
            assertThat(worker.seen()).isEmpty();
        }
    }

    @Test
    void givenTheGateway_whenItsMetadataIsAskedAndTheIssuerRotatesItsKey_thenItNamesTheIssuerAndTakesTheNewKey(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "auth-metadata");
        try (Broker broker = Broker.start(config(kafka, "broker-auth-3"))) {
            String metadataUrl = broker.mcpUrl("everything").replace("/mcp/everything",
                    "/.well-known/oauth-protected-resource/mcp/everything");
            JsonObject metadata = new JsonObject(send(HttpRequest.newBuilder(URI.create(metadataUrl)).GET().build())
                    .body());
            assertThat(metadata.getString("resource")).isEqualTo(AUDIENCE);
            assertThat(metadata.getJsonArray("authorization_servers").stream().toList()).containsExactly(
                    issuer.issuer().toString());
            assertThat(metadata.getJsonArray("scopes_supported").stream().toList()).containsExactly("sampling:use");

            assertThat(post(broker.mcpUrl("everything"), token("before"), INITIALIZE).statusCode()).isEqualTo(200);
            int fetches = issuer.jwksFetches();
            issuer.rotate();
            assertThat(post(broker.mcpUrl("everything"), token("after"), INITIALIZE).statusCode())
                    .as("a token with a new kid: the keys are fetched again").isEqualTo(200);
            assertThat(issuer.jwksFetches()).isGreaterThan(fetches);
        }
    }

    @Test
    void givenASessionOfOneHost_whenAnotherHostSendsResumesOrEndsIt_thenItIsUnknownToThem(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "auth-sessions");
        try (Broker broker = Broker.start(config(kafka, "broker-auth-4"))) {
            String url = broker.mcpUrl("everything");
            HttpResponse<String> opened = post(url, token("alice-laptop"), INITIALIZE);
            String sessionId = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
            String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

            HttpResponse<String> stranger = send(BearerHosts.post(url, token("mallory"), sessionId, ping));
            HttpResponse<String> strangerDelete = send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token("mallory")).header("Mcp-Session-Id", sessionId)
                    .DELETE().build());
            HttpResponse<String> strangerResume = send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token("mallory")).header("Mcp-Session-Id", sessionId)
                    .header("Accept", "text/event-stream").header("Last-Event-ID", "0").timeout(Duration.ofSeconds(10))
                    .GET().build());
            HttpResponse<String> strangerCancel = send(BearerHosts.post(url, token("mallory"), sessionId,
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":2}}"));
            HttpResponse<String> owner = send(BearerHosts.post(url, token("alice-laptop"), sessionId, ping));

            assertThat(stranger.statusCode()).isEqualTo(404);
            assertThat(strangerResume.statusCode()).as("a stream resumed by another").isEqualTo(404);
            assertThat(strangerCancel.statusCode()).as("a cancel sent by another").isEqualTo(404);
            assertThat(stranger.body()).contains("Unknown or expired session");
            assertThat(strangerDelete.statusCode()).isEqualTo(404);
            assertThat(owner.statusCode()).as("the session is still the owner's").isEqualTo(200);
        }
    }

    private static BrokerConfig config(KafkaSettings kafka, String instanceId) {
        return new BrokerConfig(kafka, instanceId, "127.0.0.1", 0, SamplingLimits.of(Duration.ofSeconds(30)),
                Duration.ofMinutes(5), GatewayIT.stdioEverything(), BearerHosts.gateway(issuer));
    }

    private static String token(String subject) {
        return issuer.token(subject, "tenant-a", "sampling:use openid", AUDIENCE);
    }

    private static HttpResponse<String> post(String url, String token, String body) {
        return send(BearerHosts.post(url, token, null, body));
    }
}
