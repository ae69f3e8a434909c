package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.broker.delegation.DelegationApi;
import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestIssuer;
import io.vertx.core.json.JsonObject;

/**
 * The delegation API on a real Kafka and registry, a stand-in for the workers: a host that samples itself hands the
 * broker each request and gets the outcome synchronously, later (202, then a long poll), or cancels it; what the
 * OpenAPI document refuses, and what the MCP schema does, comes back as one problem shape naming where.
 */
@ExtendWith(KafkaStackExtension.class)
class DelegationApiIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String PARAMS = "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":"
            + "\"%s\"}}],\"maxTokens\":40}";
    private static TestIssuer issuer;

    @BeforeAll
    static void startIssuer() throws Exception {
        issuer = TestIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    static String body(String prompt) {
        return "{\"server\":\"everything\",\"session\":\"s-1\",\"triggeringCall\":\"trigger-sampling-request\","
                + "\"params\":" + PARAMS.formatted(prompt) + "}";
    }

    @Test
    void givenAHostThatDelegates_whenItPostsARequest_thenItGetsTheResultAndTheDeliveryIsRecorded(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "delegate-sync");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-d1", Map.of(), Duration.ofSeconds(20)))) {
            HttpResponse<String> response = send(post(broker, body("hello from a delegating host"))
                    .header("X-Sampling-Host-Id", "java-host").build());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue(DelegationApi.INSTANCE_HEADER)).hasValue("broker-d1");
            JsonObject answer = new JsonObject(response.body());
            assertThat(answer.getString("status")).isEqualTo("completed");
            assertThat(answer.getJsonObject("result").getJsonObject("content").getString("text"))
                    .isEqualTo("stand-in answer for host java-host via everything: hello from a delegating host");
            SamplingRequested request = worker.seen().get(0);
            assertThat(request.getContext().getRequestId()).isEqualTo(answer.getString("id"));
            assertThat(request.getTriggeringToolCall()).isEqualTo("trigger-sampling-request");
            assertThat(request.getHostSampling()).as("a delegated request cannot be forwarded back").isNull();
            List<SpecificRecord> lifecycle = GatewayIT.lifecycleEvents(stack, kafka, 1);
            assertThat(lifecycle).singleElement().isInstanceOfSatisfying(SamplingDelivered.class, delivered -> {
                assertThat(delivered.getContext().getRequestId()).isEqualTo(answer.getString("id"));
                assertThat(delivered.getErrorCode()).isNull();
            });
        }
    }

    @Test
    void givenASlowAnswer_whenTheHostAsksAsyncAndRetries_thenItLongPollsOneRequestAndAReusedKeyIsRefused(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "delegate-async");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn.after(Duration.ofSeconds(3),
                        WorkerStandIn::echo));
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-d2", Map.of(), Duration.ofSeconds(20)))) {
            HttpResponse<String> accepted = send(post(broker, body("later")).header("Prefer", "respond-async")
                    .header("Idempotency-Key", "k-1").build());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String id = new JsonObject(accepted.body()).getString("id");
            assertThat(new JsonObject(accepted.body()).getString("status")).isEqualTo("pending");
            assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/sampling/" + id);

            // the host's retry (it lost the answer) under the same key is the same request, not a second one
            HttpResponse<String> retried = send(post(broker, body("later")).header("Prefer", "wait=0")
                    .header("Idempotency-Key", "k-1").build());
            assertThat(new JsonObject(retried.body()).getString("id")).isEqualTo(id);
            assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            HttpResponse<String> reused = send(post(broker, body("something else"))
                    .header("Idempotency-Key", "k-1").build());
            assertThat(reused.statusCode()).isEqualTo(422);
            assertThat(problem(reused).getString("requestId")).isEqualTo(id);

            HttpResponse<String> polled = send(request(broker, "/sampling/" + id + "?wait=20s").GET().build());
            assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
            assertThat(new JsonObject(polled.body()).getString("status")).isEqualTo("completed");
            assertThat(worker.seen()).as("one request for the three POSTs").hasSize(1);
            assertThat(GatewayIT.lifecycleEvents(stack, kafka, 1)).singleElement()
                    .isInstanceOf(SamplingDelivered.class);
        }
    }

    @Test
    void givenAPendingRequest_whenTheHostCancelsIt_thenItIsCancelledOnceAndUnknownIdsAreNotFound(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "delegate-cancel");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, request -> Optional.empty());
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-d3", Map.of(), Duration.ofSeconds(30)))) {
            HttpResponse<String> accepted = send(post(broker, body("never mind")).header("Prefer", "respond-async")
                    .build());
            String id = new JsonObject(accepted.body()).getString("id");

            HttpResponse<String> cancelled = send(request(broker, "/sampling/" + id).DELETE().build());
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(new JsonObject(cancelled.body()).getString("status")).isEqualTo("cancelled");
            assertThat(send(request(broker, "/sampling/" + id).DELETE().build()).statusCode()).isEqualTo(409);
            HttpResponse<String> unknown = send(request(broker, "/sampling/no-such-id").GET().build());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(problem(unknown).getString("detail")).contains("broker-d3");
            assertThat(GatewayIT.lifecycleEvents(stack, kafka, 1)).singleElement()
                    .isInstanceOfSatisfying(SamplingCancelled.class, event -> assertThat(event.getCancelledBy())
                            .isEqualTo(CancelledBy.HOST));
        }
    }

    @Test
    void givenBadInput_whenPosted_thenEachIsA4xxProblemNamingWhereAndWhatTheMcpSchemaRefusesIsRecorded(
            KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "delegate-bad");
        SamplingLimits small = new SamplingLimits(Duration.ofSeconds(20), 2_000, SamplingLimits.DEFAULT_MAX_TASK_TTL,
                SamplingLimits.DEFAULT_PENDING_PER_SESSION, SamplingLimits.DEFAULT_PENDING_PER_HOST,
                SamplingLimits.DEFAULT_DRAIN_TIMEOUT, SamplingLimits.DEFAULT_SHED_DELAY);
        BrokerConfig config = GatewayIT.config(kafka, "broker-d4", Map.of(), Duration.ofSeconds(20));
        config = new BrokerConfig(kafka, config.instanceId(), config.httpHost(), 0, small, config.sessionIdleTimeout(),
                Map.of(), config.gateway());
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(config)) {
            // the document: a role MCP does not have
            HttpResponse<String> role = send(post(broker, body("x").replace("\"user\"", "\"robot\"")).build());
            assertThat(role.statusCode()).as(role.body()).isEqualTo(400);
            assertThat(problem(role).getString("pointer")).isEqualTo("/params/messages/0/role");
            assertThat(role.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            // the document: no server
            HttpResponse<String> noServer = send(post(broker, "{\"params\":" + PARAMS.formatted("x") + "}").build());
            assertThat(noServer.statusCode()).isEqualTo(400);
            assertThat(problem(noServer).getString("detail")).contains("server");
            // the MCP schema's finer rules, checked where the gateway checks them: a text block without its text
            HttpResponse<String> noText = send(post(broker, body("x").replace("\"text\":\"x\"", "\"txt\":\"x\""))
                    .build());
            assertThat(noText.statusCode()).as(noText.body()).isEqualTo(400);
            assertThat(problem(noText).getString("pointer")).startsWith("/params/messages/0/content");
            assertThat(problem(noText).getString("requestId")).as("a refusal the audit explains").isNotNull();
            // a task: the API is asynchronous by itself
            HttpResponse<String> task = send(post(broker, body("x").replace("\"maxTokens\":40",
                    "\"maxTokens\":40,\"task\":{\"ttl\":1000}")).build());
            assertThat(problem(task).getString("pointer")).isEqualTo("/params/task");
            // over broker.sampling.max.request.bytes
            HttpResponse<String> large = send(post(broker, body("y".repeat(3_000))).build());
            assertThat(large.statusCode()).as(large.body()).isEqualTo(413);
            assertThat(problem(large).getString("detail")).contains("broker.sampling.max.request.bytes");
            assertThat(problem(large).getString("requestId")).isNotNull();
            // not JSON at all, and not said to be
            HttpResponse<String> text = send(request(broker, "/sampling").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build());
            assertThat(text.statusCode()).isEqualTo(415);
            HttpResponse<String> broken = send(post(broker, "{\"server\":").build());
            assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
            // JSON with a comment, which Vert.x (and so the document's validation) would take
            HttpResponse<String> comment = send(post(broker, body("x").replace("{\"server\"", "{/* c */\"server\""))
                    .build());
            assertThat(comment.statusCode()).as(comment.body()).isEqualTo(400);
            assertThat(problem(comment).getString("detail")).startsWith("Invalid request body: /: not valid JSON");
            // a ttlMs past a long, which wrapped negative once
            HttpResponse<String> endless = send(post(broker, body("x").replace("{\"server\"",
                    "{\"ttlMs\":" + "9".repeat(30) + ",\"server\"")).build());
            assertThat(problem(endless).getString("pointer")).as(endless.body()).isEqualTo("/ttlMs");
            // a wait the document does not allow
            HttpResponse<String> badWait = send(request(broker, "/sampling/x?wait=soon").GET().build());
            assertThat(badWait.statusCode()).as(badWait.body()).isEqualTo(400);
            assertThat(problem(badWait).getString("parameter")).as(badWait.body()).isEqualTo("wait");

            // the two the dispatcher refused are recorded, and so is the delivery of their errors; nothing else
            List<SpecificRecord> deliveries = GatewayIT.lifecycleEvents(stack, kafka, 2);
            assertThat(deliveries).hasSize(2).allSatisfy(event -> assertThat(event).isInstanceOfSatisfying(
                    SamplingDelivered.class, delivered -> assertThat(delivered.getErrorCode()).isEqualTo(-32602)));
            assertThat(worker.refused()).extracting(refusal -> refusal.getContext().getRequestId())
                    .containsExactlyInAnyOrder(problem(noText).getString("requestId"),
                            problem(large).getString("requestId"));
            assertThat(worker.seen()).as("nothing reached the pipeline").isEmpty();
        }
    }

    @Test
    void givenAuthenticatedHosts_whenTheyDelegate_thenATokenIsNeededAndOneHostCannotReadAnothersRequest(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "delegate-auth");
        BrokerConfig open = GatewayIT.config(kafka, "broker-d5", Map.of(), Duration.ofSeconds(20));
        BrokerConfig config = new BrokerConfig(kafka, open.instanceId(), open.httpHost(), 0, open.sampling(),
                open.sessionIdleTimeout(), Map.of(), GatewaySettings.loopback().withAuth(HostAuthSettings.oauth(
                        issuer.issuer(), issuer.jwksUrl(), URI.create(BearerHosts.RESOURCE))));
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(config)) {
            HttpResponse<String> anonymous = send(post(broker, body("who am I")).build());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).contains("resource_metadata="));
            assertThat(problem(anonymous).getString("title")).isEqualTo("Authentication required");

            String alice = issuer.token("alice", "t1", "sampling:use", BearerHosts.RESOURCE);
            HttpResponse<String> answered = send(post(broker, body("as alice"))
                    .header("Authorization", "Bearer " + alice).build());
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            String id = new JsonObject(answered.body()).getString("id");
            assertThat(worker.seen().get(0).getContext().getHostId()).isEqualTo("alice");
            assertThat(worker.seen().get(0).getContext().getTenant()).isEqualTo("t1");

            String bob = issuer.token("bob", "t2", "sampling:use", BearerHosts.RESOURCE);
            HttpResponse<String> others = send(request(broker, "/sampling/" + id)
                    .header("Authorization", "Bearer " + bob).GET().build());
            assertThat(others.statusCode()).isEqualTo(404);
            HttpResponse<String> own = send(request(broker, "/sampling/" + id)
                    .header("Authorization", "Bearer " + alice).GET().build());
            assertThat(new JsonObject(own.body()).getString("status")).isEqualTo("completed");
            // the document itself is public
            assertThat(send(request(broker, "/openapi.json").GET().build()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void givenTheOpenApiDocument_whenEachOfItsOperationsIsCalled_thenARouteOfTheApiAnswersIt(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "delegate-document");
        try (Broker broker = Broker.start(GatewayIT.config(kafka, "broker-d6", Map.of(), Duration.ofSeconds(5)))) {
            JsonObject document = DelegationApi.readDocument();
            HttpResponse<String> served = send(request(broker, "/openapi.json").GET().build());
            assertThat(new JsonObject(served.body())).isEqualTo(document);

            int operations = 0;
            for (String path : document.getJsonObject("paths").fieldNames()) {
                JsonObject item = document.getJsonObject("paths").getJsonObject(path);
                for (String method : item.fieldNames()) {
                    if (method.equals("parameters")) {
                        continue;
                    }
                    operations++;
                    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(broker.delegationUrl()
                            .replace("/v1", "") + path.replace("{id}", "some-id")))
                            .header("Content-Type", "application/json")
                            .method(method.toUpperCase(java.util.Locale.ROOT), HttpRequest.BodyPublishers.ofString(
                                    method.equals("post") ? "{}" : "")).build());
                    assertThat(answer.body()).as(method + " " + path + " reaches its route")
                            .doesNotContain("No such resource");
                    assertThat(answer.statusCode()).as(method + " " + path).isNotIn(405, 500);
                }
            }
            assertThat(operations).isEqualTo(4);
            // and what the document does not name is no route of the API's
            HttpResponse<String> put = send(request(broker, "/sampling").PUT(HttpRequest.BodyPublishers.ofString("{}"))
                    .build());
            assertThat(put.statusCode()).isEqualTo(405);
            assertThat(put.headers().firstValue("Allow")).hasValue("POST");
            HttpResponse<String> other = send(request(broker, "/samples").GET().build());
            assertThat(problem(other).getString("detail")).contains("No such resource");
        }
    }

    static HttpRequest.Builder request(Broker broker, String path) {
        return HttpRequest.newBuilder(URI.create(broker.delegationUrl() + path)).timeout(Duration.ofSeconds(60));
    }

    private static HttpRequest.Builder post(Broker broker, String body) {
        return request(broker, "/sampling").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject problem(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getInteger("status")).isEqualTo(response.statusCode());
        return problem;
    }
}
