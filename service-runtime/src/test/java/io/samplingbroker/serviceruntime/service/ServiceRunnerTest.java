package io.samplingbroker.serviceruntime.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.health.ManagementSettings;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;

class ServiceRunnerTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ServiceRunner runner = new ServiceRunner(Service.MODEL_WORKER,
            (file, environment) -> new ManagementSettings("127.0.0.1", ManagementSettings.DISABLED),
            (file, environment) -> TracingSettings.off(), new PrintStream(err, true, StandardCharsets.UTF_8));
    private final FakeService service = new FakeService();
    private final List<Path> filesRead = new ArrayList<>();

    @Test
    void givenTwoArguments_whenRun_thenUsageAndTheBadConfigurationCode() {
        // When
        int code = runner.run(new String[] {"a.yaml", "b.yaml"}, Map.of(), this::load, (config, telemetry) -> service,
                new CompletableFuture<>());
        // Then
        assertThat(code).isEqualTo(ServiceRunner.BAD_CONFIGURATION);
        assertThat(errors()).contains("usage: model-worker [config.yaml]");
        assertThat(filesRead).isEmpty();
    }

    @Test
    void givenASettingThatDoesNotParse_whenRun_thenItsMessageAndTheBadConfigurationCode() {
        // When
        int code = runner.run(new String[0], Map.of(), (file, env) -> {
            throw new ConfigException("kafka.bootstrap.servers is required");
        }, (config, telemetry) -> service, new CompletableFuture<>());
        // Then
        assertThat(code).isEqualTo(ServiceRunner.BAD_CONFIGURATION);
        assertThat(errors()).contains("model-worker: kafka.bootstrap.servers is required");
        assertThat(service.started).isFalse();
    }

    @Test
    void givenAStartThatRejectsAFile_whenRun_thenTheBadConfigurationCode() {
        // When
        int code = runner.run(new String[] {"config.yaml"}, Map.of(), this::load, (config, telemetry) -> {
            throw new IllegalArgumentException("policy.yaml:3: unknown field 'acton'");
        }, new CompletableFuture<>());
        // Then
        assertThat(code).isEqualTo(ServiceRunner.BAD_CONFIGURATION);
        assertThat(filesRead).containsExactly(Path.of("config.yaml"));
        assertThat(errors()).contains("policy.yaml:3: unknown field 'acton'");
    }

    @Test
    void givenKafkaUnreachable_whenStarting_thenTheFailedCode() {
        // When
        int code = runner.run(new String[0], Map.of(), this::load, (config, telemetry) -> {
            throw new IllegalStateException("Cannot create the sampling topics within 60 s");
        }, new CompletableFuture<>());
        // Then
        assertThat(code).isEqualTo(ServiceRunner.FAILED);
        assertThat(errors()).contains("model-worker cannot start: Cannot create the sampling topics within 60 s");
    }

    @Test
    void givenARunningService_whenAStopIsRequested_thenItDrainsThenClosesAndTheStoppedCode() throws Exception {
        // Given
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                () -> runner.run(new String[0], Map.of(), this::load, (config, telemetry) ->
                        service.start(telemetry.metrics()), stop));
        // When
        service.startedSignal.get(5, TimeUnit.SECONDS);
        assertThat(code).isNotDone();
        stop.complete(null);
        // Then
        assertThat(code.get(5, TimeUnit.SECONDS)).isEqualTo(ServiceRunner.STOPPED);
        assertThat(service.steps).containsExactly("drain", "close");
        assertThat(errors()).isEmpty();
    }

    @Test
    void givenARunningService_whenAVitalPartDies_thenItIsClosedAndTheFailedCode() throws Exception {
        // Given
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                () -> runner.run(new String[0], Map.of(), this::load, (config, telemetry) ->
                        service.start(telemetry.metrics()), new CompletableFuture<>()));
        service.startedSignal.get(5, TimeUnit.SECONDS);
        // When
        service.failures.fail("the answer reader", new IllegalStateException("consumer fenced"));
        // Then
        assertThat(code.get(5, TimeUnit.SECONDS)).isEqualTo(ServiceRunner.FAILED);
        // a broken service is not drained: what it would wait for cannot finish
        assertThat(service.steps).containsExactly("close");
        assertThat(errors()).contains("model-worker failed: the answer reader stopped: consumer fenced");
    }

    @Test
    void givenTheManagementPortTaken_whenTheServiceStarts_thenItIsClosedAndTheFailedCodeNamesThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServiceRunner onTakenPort = new ServiceRunner(Service.MODEL_WORKER,
                    (file, environment) -> new ManagementSettings("127.0.0.1", taken.getLocalPort()),
                    (file, environment) -> TracingSettings.off(), new PrintStream(err, true, StandardCharsets.UTF_8));

            int code = onTakenPort.run(new String[0], Map.of(), this::load, (config, telemetry) ->
                        service.start(telemetry.metrics()),
                    new CompletableFuture<>());

            assertThat(code).isEqualTo(ServiceRunner.FAILED);
            assertThat(service.closed).isTrue();
            assertThat(errors()).contains("Cannot serve model-worker's health on 127.0.0.1:" + taken.getLocalPort()
                    + " (management.port)");
        }
    }

    @Test
    void givenAServiceClosing_whenAPartEndsBecauseOfIt_thenThatIsNoFailure() {
        // Given
        FailureSignal failures = new FailureSignal("test-service");
        // When
        failures.closing();
        failures.fail("the answer reader", new IllegalStateException("closed"));
        // Then
        assertThat(failures.failed().toCompletableFuture()).isNotDone();
    }

    private String load(Path file, Map<String, String> environment) {
        filesRead.add(file);
        return "config";
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static final class FakeService implements RunningService {
        final FailureSignal failures = new FailureSignal("test-service");
        final CompletableFuture<Void> startedSignal = new CompletableFuture<>();
        volatile boolean started;
        volatile boolean closed;
        final List<String> steps = new CopyOnWriteArrayList<>();
        volatile ServiceMetrics metrics;

        FakeService start(ServiceMetrics given) {
            metrics = given;
            started = true;
            startedSignal.complete(null);
            return this;
        }

        @Override
        public CompletionStage<VitalPartFailure> failed() {
            return failures.failed();
        }

        @Override
        public ServiceMetrics metrics() {
            return metrics;
        }

        @Override
        public void drain() {
            steps.add("drain");
        }

        @Override
        public void close() {
            failures.closing();
            closed = true;
            steps.add("close");
        }
    }
}
