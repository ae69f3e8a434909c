package io.samplingbroker.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.samplingbroker.events.SamplingExpired;

/**
 * The client's HTTP behaviour (auth header, retries, error mapping, failover) against a loopback server that answers
 * with the Confluent REST API's status codes and error bodies. Real registries are covered by the *IT tests.
 */
class SchemaRegistryClientTest {

    private record Answer(int status, String body) {
    }

    private HttpServer server;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void givenUserInfo_whenRegistering_thenBasicAuthIsSentAndTheIdIsCached() {
        answers.add(new Answer(200, "{\"id\":7}"));
        SchemaRegistryClient client = client(Map.of("basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:s3cret"));

        int first = client.register("t-value", SamplingExpired.getClassSchema());
        int second = client.register("t-value", SamplingExpired.getClassSchema());

        assertThat(first).isEqualTo(7);
        assertThat(second).isEqualTo(7);
        assertThat(requests).containsExactly("POST /subjects/t-value/versions");
        assertThat(authorizations).containsExactly("Basic c3ZjOnMzY3JldA==");
    }

    @Test
    void givenAServerError_whenFetchingASchema_thenItIsRetriedUntilItAnswers() {
        answers.add(new Answer(503, "{\"error_code\":50301,\"message\":\"busy\"}"));
        answers.add(new Answer(500, "oops"));
        answers.add(new Answer(200, "{\"schema\":\"\\\"string\\\"\"}"));

        Schema schema = client(Map.of()).schemaById(3);

        assertThat(schema.getType()).isEqualTo(Schema.Type.STRING);
        assertThat(requests).hasSize(3).allMatch("GET /schemas/ids/3"::equals);
    }

    @Test
    void givenAnUnknownId_whenFetched_thenTheRegistrysErrorCodeIsReportedWithoutRetry() {
        answers.add(new Answer(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}"));

        assertThatThrownBy(() -> client(Map.of()).schemaById(99))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                })
                .hasMessageContaining("refused fetching schema id 99: HTTP 404 (error 40403): Schema 99 not found");
        assertThat(requests).hasSize(1);
    }

    @Test
    void givenTheFirstUrlDown_whenRegistering_thenTheNextUrlAnswers() {
        answers.add(new Answer(200, "{\"id\":12}"));
        String dead = "http://127.0.0.1:" + io.samplingbroker.embeddedinfra.LoopbackPorts.freePort();
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySerdeConfig.fromConfigs(Map.of(
                RegistrySerdeConfig.URL, dead + "," + url(),
                RegistrySerdeConfig.RETRY_BACKOFF_MS, "10")));

        assertThat(client.register("t-value", SamplingExpired.getClassSchema())).isEqualTo(12);
    }

    @Test
    void givenNoSubjectYet_whenCheckingCompatibility_thenAnySchemaIsCompatible() {
        answers.add(new Answer(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}"));

        assertThat(client(Map.of()).isCompatible("new-value", SamplingExpired.getClassSchema())).isTrue();
    }

    private SchemaRegistryClient client(Map<String, String> extra) {
        Map<String, Object> configs = new java.util.HashMap<>(extra);
        configs.put(RegistrySerdeConfig.URL, url());
        configs.put(RegistrySerdeConfig.RETRY_BACKOFF_MS, "10");
        configs.put(RegistrySerdeConfig.RETRY_MAX_MS, "5000");
        return new SchemaRegistryClient(RegistrySerdeConfig.fromConfigs(configs));
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            authorizations.add(auth);
        }
        Answer next = answers.isEmpty() ? new Answer(500, "no answer scripted") : answers.poll();
        byte[] body = next.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(next.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
