package io.samplingbroker.serviceruntime.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.serviceruntime.service.RunningService;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;

/**
 * The management port over real HTTP: liveness from the vital parts, readiness from every check, metrics (with and
 * without basic auth, over TLS), bad requests.
 */
class ManagementServerTest {

    @TempDir
    static Path keys;

    private final FailureSignal failures = new FailureSignal("test-service");
    private final AtomicReference<String> streamsProblem = new AtomicReference<>("REBALANCING");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ServiceMetrics metrics = ServiceMetrics.create(Service.MODEL_WORKER);
    private final RunningService service = new RunningService() {
        @Override
        public CompletionStage<VitalPartFailure> failed() {
            return failures.failed();
        }

        @Override
        public Map<String, ReadinessCheck> readiness() {
            return Map.of("streams", streamsProblem::get);
        }

        @Override
        public ServiceMetrics metrics() {
            return metrics;
        }

        @Override
        public void close() {
        }
    };
    private final ManagementServer server = ManagementServer.start("test-service", ManagementSettings.ephemeral(),
            service);

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
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
    void givenACounterRecorded_whenMetricsAreScraped_thenPrometheusTextHasItWithTheServiceLabel() throws Exception {
        metrics.registry().counter("sampling.requests", "outcome", "result").increment(3);

        HttpResponse<String> scrape = get("/metrics");
        HttpResponse<String> openMetrics = http.send(HttpRequest.newBuilder(url("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(scrape.body()).contains("sampling_requests_total{outcome=\"result\",service=\"model-worker\"} 3.0")
                .contains("jvm_memory_used_bytes");
        assertThat(openMetrics.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/openmetrics-text");
        assertThat(openMetrics.body()).endsWith("# EOF\n");
    }

    @Test
    void givenBasicAuth_whenMetricsAreAskedWithoutOrWithWrongCredentials_then401ButHealthStaysOpen() throws Exception {
        ManagementSettings secured = new ManagementSettings("127.0.0.1", 0, 100,
                new ManagementSettings.BasicAuth("prometheus", "s3cret"), null);
        try (ManagementServer guarded = ManagementServer.start("test-service", secured, service)) {
            String base = "http://127.0.0.1:" + guarded.port();

            HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Authorization", basic("prometheus", "guess")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> right = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Authorization", basic("prometheus", "s3cret")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"test-service metrics\"");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(right.body()).contains("jvm_threads_live_threads");
            assertThat(live.statusCode()).isEqualTo(200);
        }
        assertThat(secured.toString()).contains("password=[redacted]").doesNotContain("s3cret");
    }

    @Test
    void givenAKeyStore_whenTheMetricsAreScrapedOverHttps_thenTheyAnswerWithThatCertificate() throws Exception {
        Path keystore = keys.resolve("management.p12");
        keytool("-genkeypair", "-alias", "management", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit");
        ManagementSettings tls = new ManagementSettings("127.0.0.1", 0, 100, null,
                new ManagementSettings.Tls(keystore, "changeit"));
        try (ManagementServer https = ManagementServer.start("test-service", tls, service)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trusted.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(context).build();

            HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + https.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("service=\"model-worker\"");
        }
    }

    @Test
    void givenAnotherPathOrMethod_whenAsked_then404Or405WithAMessage() throws Exception {
        HttpResponse<String> unknown = get("/metrics/jvm");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(url("/health/ready"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("this port serves /health/live, /health/ready and /metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
