package io.samplingbroker.serviceruntime.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.serviceruntime.service.RunningService;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;

/** The management port over real HTTP: liveness from the vital parts, readiness from every check, bad requests. */
class ManagementServerTest {

    private final FailureSignal failures = new FailureSignal("test-service");
    private final AtomicReference<String> streamsProblem = new AtomicReference<>("REBALANCING");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ManagementServer server = ManagementServer.start("test-service", ManagementSettings.ephemeral(),
            new RunningService() {
                @Override
                public CompletionStage<VitalPartFailure> failed() {
                    return failures.failed();
                }

                @Override
                public Map<String, ReadinessCheck> readiness() {
                    return Map.of("streams", streamsProblem::get);
                }

                @Override
                public void close() {
                }
            });

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void givenACheckDown_whenReadinessIsAsked_then503NamesItWhileLivenessIs200() throws Exception {
        HttpResponse<String> ready = get("/health/ready");
        HttpResponse<String> live = get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"vital-parts\":\"UP\","
                + "\"streams\":\"DOWN: REBALANCING\"}}");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void givenEveryCheckUp_whenReadinessIsAsked_then200() throws Exception {
        streamsProblem.set(null);

        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"vital-parts\":\"UP\",\"streams\":\"UP\"}}");
    }

    @Test
    void givenAVitalPartDied_whenHealthIsAsked_thenBothAre503NamingIt() throws Exception {
        streamsProblem.set(null);
        failures.fail("the poll loop", new IllegalStateException("fenced"));

        assertThat(get("/health/live").statusCode()).isEqualTo(503);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"vital-parts\":\"DOWN: the poll loop stopped: fenced\"");
    }

    @Test
    void givenAnotherPathOrMethod_whenAsked_then404Or405WithAMessage() throws Exception {
        HttpResponse<String> unknown = get("/metrics");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(url("/health/ready"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("this port serves /health/live and /health/ready");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
