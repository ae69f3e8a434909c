package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.processguard.ChildProcesses;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) scraping given targets every second, queried with
 * PromQL over its HTTP API; and its {@code promtool}. Without the package a test that needs it is skipped, unless
 * {@code SAMPLING_PROMETHEUS_TESTS=required} (set by {@code .ci/run}, which installs it) makes its absence a failure.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Skips the test without Prometheus, or fails it when Prometheus is required. */
    public static void require() {
        boolean present = Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL);
        if (!present && "required".equals(System.getenv("SAMPLING_PROMETHEUS_TESTS"))) {
            throw new AssertionError("SAMPLING_PROMETHEUS_TESTS=required but " + PROMETHEUS + " or " + PROMTOOL
                    + " is missing: apt-get install prometheus");
        }
        Assumptions.assumeTrue(present, "Prometheus test skipped: install Debian's prometheus package to run it");
    }

    /**
     * Starts Prometheus on a free loopback port, scraping each {@code job -> host:port} every second, with the alerting
     * {@code rules} file (null: none); waits until it is ready.
     */
    public static PrometheusServer start(Path dir, Map<String, String> targets, Path rules) {
        try {
            Files.createDirectories(dir);
            StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
            if (rules != null) {
                config.append("rule_files:\n  - ").append(rules.toAbsolutePath()).append('\n');
            }
            config.append("scrape_configs:\n");
            targets.forEach((job, target) -> config.append("  - job_name: ").append(job)
                    .append("\n    static_configs:\n      - targets: ['").append(target).append("']\n"));
            Path file = Files.writeString(dir.resolve("prometheus.yml"), config.toString());
            int port = LoopbackPorts.freePort();
            Path log = dir.resolve("prometheus.log");
            ProcessBuilder builder = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + file,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            PrometheusServer server = new PrometheusServer(ChildProcesses.start(builder), port, log);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Prometheus in " + dir, e);
        }
    }

    /** {@code promtool check rules} on {@code rules}: its exit code and output. */
    public static CheckResult checkRules(Path rules) {
        try {
            Process check = new ProcessBuilder(PROMTOOL.toString(), "check", "rules", rules.toString())
                    .redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new CheckResult(check.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run promtool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running promtool", e);
        }
    }

    /** What {@code promtool} said. */
    public record CheckResult(int exitCode, String output) {
    }

    /** The value of an instant PromQL query that yields one number, or empty when it yields no series. */
    public OptionalDouble query(String promql) {
        JsonNode result = data(promql).path("result");
        if (!result.isArray() || result.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (result.size() > 1) {
            throw new IllegalArgumentException(promql + " yields " + result.size() + " series; aggregate it: " + result);
        }
        return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }

    /** Names of the alerts Prometheus evaluates from its rule files. */
    public List<String> alertRuleNames() {
        JsonNode groups = get("/api/v1/rules").path("data").path("groups");
        List<String> names = new ArrayList<>();
        groups.forEach(group -> group.path("rules").forEach(rule -> names.add(rule.path("name").asText())));
        return names;
    }

    /** How many targets the last scrapes reached ({@code up == 1}). */
    public int targetsUp() {
        return (int) query("count(up == 1)").orElse(0);
    }

    /** Each target's health and last scrape error, as Prometheus reports them: for a failure message. */
    public String targetHealth() {
        StringBuilder health = new StringBuilder();
        get("/api/v1/targets").path("data").path("activeTargets").forEach(target -> health
                .append(target.path("labels").path("job").asText()).append(": ").append(target.path("health").asText())
                .append(' ').append(target.path("lastError").asText()).append("; "));
        return health.toString();
    }

    private JsonNode data(String promql) {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asText())) {
            throw new IllegalArgumentException("Prometheus refused " + promql + ": " + answer);
        }
        return answer.path("data");
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus did not answer " + path + "; see " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking Prometheus", e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/-/ready")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Prometheus", e);
            }
            Polling.pause(Duration.ofMillis(200));
        }
        close();
        throw new IllegalStateException("Prometheus was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(10));
    }
}
