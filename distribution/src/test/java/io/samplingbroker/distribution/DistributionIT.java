package io.samplingbroker.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.reviewconsole.PasswordHashing;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.OtlpReceiver;
import io.samplingbroker.testsupport.Polling;
import io.samplingbroker.testsupport.ServiceProcess;
import io.samplingbroker.testsupport.TestPeers;

/**
 * Every service and command as people run it: from the directory its module built ({@code target/<artifactId>/}),
 * through its start script, configured only by its environment, against a real Kafka and registry. The admin
 * command provisions; each service gets ready, serves its metrics, logs JSON when asked, and stops with 0 on
 * SIGTERM; the audit command reads the history.
 */
@ExtendWith(KafkaStackExtension.class)
class DistributionIT {

    private static final Path REPOSITORY = Path.of(System.getProperty("repository.dir", "..")).toAbsolutePath()
            .normalize();
    private static final Duration READY = Duration.ofSeconds(120);
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String HOST_SPAN = "00f067aa0ba902b7";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** The host's trace once the spans of its request's three services arrived (at most 30 s). */
    private static List<OtlpReceiver.ReceivedSpan> awaitTrace(OtlpReceiver receiver) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<OtlpReceiver.ReceivedSpan> trace = List.of();
        while (System.nanoTime() < deadline) {
            trace = receiver.traces().getOrDefault(TRACE, List.of());
            if (trace.stream().map(OtlpReceiver.ReceivedSpan::name).toList().containsAll(List.of(
                    "sampling/createMessage", "sampling deliver", "sampling decide", "sampling complete"))) {
                break;
            }
            Polling.pause(Duration.ofMillis(200));
        }
        return trace;
    }

    @Test
    void givenTheBuiltDistributions_whenEachIsStartedFromItsDirectory_thenItIsReadyServesMetricsTracesAndStopsCleanly(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        String prefix = "dist" + System.nanoTime() + ".";
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            run(stack, dir, receiver, Map.of("SAMPLING_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                    "SAMPLING_TOPICS_PREFIX", prefix, "SAMPLING_LOG_FORMAT", "json", "SAMPLING_TRACING_OTLP_ENDPOINT",
                    receiver.tracesUrl()));
        }
    }

    private void run(KafkaStack stack, Path dir, OtlpReceiver receiver, Map<String, String> common)
            throws Exception {

        if (stack.security() != null) {
            // each service signs in as its own user, limited by the ACLs provision creates
            try (Admin admin = Admin.create(stack.clientConfig())) {
                stack.security().addUsers(admin, List.of("broker", "approval-worker", "model-worker", "review-console",
                        "audit"));
            }
        }
        Result provisioned = command("sampling-broker-admin", "sampling-admin", environment(stack, "admin", common),
                dir, stack.security() == null ? List.of("provision", "--no-acls") : List.of("provision"));
        assertThat(provisioned.exitCode()).as(provisioned.output()).isZero();

        Path policy = Files.writeString(dir.resolve("policy.yaml"), "defaultAction: {action: approve}\n");
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        try {
            services.put("approval-worker", service(stack, common, dir, "sampling-broker-approval-worker",
                    "approval-worker", Map.of("SAMPLING_POLICY_FILE", policy.toString(),
                            "SAMPLING_KAFKA_STREAMS_STATE_DIR", dir.resolve("approval-state").toString())));
            services.put("model-worker", service(stack, common, dir, "sampling-broker-model-worker", "model-worker",
                    Map.of()));
            services.put("review-console", service(stack, common, dir, "sampling-broker-review-console",
                    "review-console", Map.of("SAMPLING_REVIEW_CONSOLE_PORT", "0", "SAMPLING_REVIEW_REVIEWERS_ALICE",
                            PasswordHashing.hash("distribution-test".toCharArray()))));
            int brokerPort = LoopbackPorts.freePort();
            List<String> everything = TestPeers.serverEverything("stdio");
            services.put("broker", service(stack, common, dir, "sampling-broker-broker", "broker", Map.of(
                    "SAMPLING_BROKER_HTTP_PORT", Integer.toString(brokerPort),
                    "SAMPLING_BROKER_AUTH_MODE", "none",
                    "SAMPLING_SERVERS_EVERYTHING_COMMAND", everything.get(0),
                    "SAMPLING_SERVERS_EVERYTHING_ARGS", String.join(",", everything.subList(1, everything.size())))));
            for (ServiceProcess service : services.values()) {
                service.awaitReady(READY);
            }

            // a host's request, traced: its spans come from three processes, configured by their environment alone
            TestPeers.ClientResult sampled = TestPeers.runHost("v1-client.mjs", "http://127.0.0.1:" + brokerPort
                    + "/mcp/everything", "trigger-sampling-request", "{\"prompt\":\"hi\",\"maxTokens\":20}",
                    List.of("--sampling", "none"), Map.of("TRACEPARENT", "00-" + TRACE + "-" + HOST_SPAN + "-01"),
                    Duration.ofSeconds(120));
            assertThat(sampled.ok()).as(sampled.output()).isTrue();
            List<OtlpReceiver.ReceivedSpan> trace = awaitTrace(receiver);
            assertThat(trace).extracting(OtlpReceiver.ReceivedSpan::service).as("the host's trace: %s", trace)
                    .contains("broker", "approval-worker", "model-worker");
            assertThat(OtlpReceiver.roots(trace)).singleElement()
                    .satisfies(root -> assertThat(root.parentSpanId()).isEqualTo(HOST_SPAN));

            for (Map.Entry<String, ServiceProcess> service : services.entrySet()) {
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + service.getValue().managementPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body()).as(service.getKey()).contains("jvm_memory_used_bytes{")
                        .contains("service=\"" + service.getKey() + "\"");
            }
            for (Map.Entry<String, ServiceProcess> service : services.entrySet()) {
                assertThat(service.getValue().terminate(Duration.ofSeconds(60))).as(service.getKey() + " on SIGTERM")
                        .isZero();
                List<String> lines = Files.readAllLines(service.getValue().log(), StandardCharsets.UTF_8);
                assertThat(lines).as(service.getKey() + " logged").isNotEmpty();
                for (String line : lines) {
                    assertThat(JSON.readTree(line).path("message").isTextual()).as(service.getKey() + ": " + line)
                            .isTrue();
                }
            }
        } finally {
            services.values().forEach(ServiceProcess::close);
        }

        Result audit = command("sampling-broker-audit", "sampling-audit", environment(stack, "audit", common), dir,
                List.of("verify"));
        assertThat(audit.exitCode()).as(audit.output()).isZero();
    }

    @Test
    void givenTheBuiltDistributions_whenListed_thenEachHasItsScriptsItsJarsAndATarball() throws IOException {
        Map<String, List<String>> scripts = Map.of("sampling-broker-broker", List.of("broker", "broker-stdio"),
                "sampling-broker-approval-worker", List.of("approval-worker"),
                "sampling-broker-model-worker", List.of("model-worker"),
                "sampling-broker-review-console", List.of("review-console", "reviewer-password-hash"),
                "sampling-broker-audit", List.of("sampling-audit"),
                "sampling-broker-admin", List.of("sampling-admin"));
        for (Map.Entry<String, List<String>> artifact : scripts.entrySet()) {
            Path home = home(artifact.getKey());
            for (String script : artifact.getValue()) {
                assertThat(Files.isExecutable(home.resolve("bin").resolve(script))).as(artifact.getKey() + " " + script)
                        .isTrue();
            }
            try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
                assertThat(jars.map(jar -> jar.getFileName().toString()).toList()).as(artifact.getKey())
                        .anyMatch(jar -> jar.startsWith(artifact.getKey() + "-"))
                        .anyMatch(jar -> jar.startsWith("sampling-broker-service-runtime-"))
                        .noneMatch(jar -> jar.startsWith("junit") || jar.startsWith("sampling-broker-test-support"));
            }
            assertThat(home.resolve("README.md")).exists();
            assertThat(REPOSITORY.resolve(module(artifact.getKey())).resolve("target")
                    .resolve(artifact.getKey() + ".tar.gz")).isNotEmptyFile();
        }
    }

    private ServiceProcess service(KafkaStack stack, Map<String, String> common, Path dir, String artifact,
            String script, Map<String, String> own) {
        Map<String, String> environment = environment(stack, script, common);
        environment.putAll(own);
        return ServiceProcess.run(script, List.of(home(artifact).resolve("bin").resolve(script).toString()),
                environment, dir.resolve("logs"));
    }

    /** The common settings and the Kafka client settings of {@code user}, as a service's environment. */
    private static Map<String, String> environment(KafkaStack stack, String user, Map<String, String> common) {
        Map<String, String> environment = new HashMap<>(common);
        environment.putAll(stack.clientEnvironment(user));
        environment.put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        return environment;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result command(String artifact, String script, Map<String, String> environment, Path dir,
            List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home(artifact).resolve("bin").resolve(script).toString()));
        command.addAll(arguments);
        Path output = dir.resolve(script + "-" + System.nanoTime() + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish within 120 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    /** The built directory of an artifact: {@code <module>/target/<artifactId>/<artifactId>-<version>/}. */
    private static Path home(String artifact) {
        Path built = REPOSITORY.resolve(module(artifact)).resolve("target").resolve(artifact);
        try (Stream<Path> versions = Files.list(built)) {
            return versions.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new AssertionError("nothing built in " + built + ": run mvn package first"));
        } catch (IOException e) {
            throw new AssertionError("nothing built in " + built + " (" + e + "): run mvn package first");
        }
    }

    private static String module(String artifact) {
        return artifact.substring("sampling-broker-".length());
    }
}
