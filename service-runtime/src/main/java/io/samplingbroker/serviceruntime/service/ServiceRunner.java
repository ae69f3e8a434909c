package io.samplingbroker.serviceruntime.service;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.config.ConfigException;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.health.ManagementServer;
import io.samplingbroker.serviceruntime.health.ManagementSettings;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.tracing.ServiceTracing;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;

/**
 * The life cycle every service's main shares: read the configuration (an optional YAML file, then the environment),
 * start, run until stopped or until a vital part dies, stop. Every main exits with the same codes:
 *
 * <ul>
 * <li>{@value #STOPPED}: stopped on request (SIGTERM, Ctrl-C), after a clean close;</li>
 * <li>{@value #FAILED}: could not start (Kafka or the registry unreachable, a port taken), or a vital part died
 *     while running (the service is closed first, so what it processed is committed);</li>
 * <li>{@value #BAD_CONFIGURATION}: a wrong argument, configuration file or setting (the message names it).</li>
 * </ul>
 */
public final class ServiceRunner {

    public static final int STOPPED = 0;
    public static final int FAILED = 1;
    public static final int BAD_CONFIGURATION = 2;

    /** Reads a service's configuration: from the file (null: none) and the environment. */
    @FunctionalInterface
    public interface ConfigLoader<C> {
        C load(Path file, Map<String, String> environment);
    }

    /** Starts a service with its configuration, reporting into {@code telemetry}; returns once it runs. */
    @FunctionalInterface
    public interface Starter<C> {
        RunningService start(C config, Telemetry telemetry);
    }

    private final Service role;
    private final String name;
    private final ConfigLoader<ManagementSettings> management;
    private final ConfigLoader<TracingSettings> tracing;
    private final PrintStream err;

    /**
     * @param management reads where the service serves its health, from the same file and environment
     * @param tracing reads where it exports its spans, likewise
     */
    ServiceRunner(Service service, ConfigLoader<ManagementSettings> management, ConfigLoader<TracingSettings> tracing,
            PrintStream err) {
        this.role = service;
        this.name = service.id();
        this.management = management;
        this.tracing = tracing;
        this.err = err;
    }

    /**
     * The main of a service: runs it until SIGTERM or a failure, serving its health and metrics on its management
     * port ({@link ManagementSettings}, default {@code defaultManagementPort}) and exporting its spans as
     * {@link TracingSettings} say, then exits the JVM with one of the codes above. {@code args} is empty or names the configuration file.
     */
    public static <C> void main(Service service, int defaultManagementPort, String[] args, ConfigLoader<C> loader,
            Starter<C> starter) {
        String name = service.id();
        ServiceRunner runner = new ServiceRunner(service, (file, environment) -> ManagementSettings.fromSettings(
                ConfigSource.load(file, environment), defaultManagementPort), (file, environment) ->
                TracingSettings.fromSettings(ConfigSource.load(file, environment)), System.err);
        CompletableFuture<Void> stopRequested = new CompletableFuture<>();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested.complete(null);
            awaitQuietly(finished);
            // A signal would make the JVM exit with 128 + its number; a requested stop that went well is a 0.
            Runtime.getRuntime().halt(STOPPED);
        }, name + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = runner.run(args, System.getenv(), loader, starter, stopRequested);
        finished.countDown();
        if (stopRequested.isDone()) {
            return; // the shutdown hook ends the JVM
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        System.exit(code);
    }

    /** Runs the service until {@code stopRequested} completes or it fails; returns the exit code. */
    <C> int run(String[] args, Map<String, String> environment, ConfigLoader<C> loader, Starter<C> starter,
            CompletionStage<Void> stopRequested) {
        if (args.length > 1) {
            err.println("usage: " + name + " [config.yaml]");
            return BAD_CONFIGURATION;
        }
        C config;
        ManagementSettings healthAt;
        TracingSettings spansTo;
        try {
            Path file = args.length == 1 ? Path.of(args[0]) : null;
            config = loader.load(file, environment);
            healthAt = management.load(file, environment);
            spansTo = tracing.load(file, environment);
        } catch (IllegalArgumentException | ConfigException e) {
            err.println(name + ": " + e.getMessage());
            return BAD_CONFIGURATION;
        }
        RunningService service;
        Telemetry telemetry = new Telemetry(ServiceMetrics.create(role, healthAt.labelValuesMax()),
                ServiceTracing.start(role, spansTo));
        try {
            service = starter.start(config, telemetry);
        } catch (IllegalArgumentException | ConfigException e) {
            telemetry.close();
            err.println(name + ": " + e.getMessage()); // a setting that only start-up could check (a policy file)
            return BAD_CONFIGURATION;
        } catch (RuntimeException e) {
            telemetry.close();
            err.println(name + " cannot start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return FAILED;
        }
        ManagementServer health;
        try {
            health = ManagementServer.start(name, healthAt, service);
        } catch (RuntimeException e) {
            service.close();
            telemetry.close();
            err.println(name + " cannot start: " + e.getMessage());
            return FAILED;
        }
        CompletableFuture<Object> ended = CompletableFuture.anyOf(stopRequested.toCompletableFuture(),
                service.failed().toCompletableFuture());
        Object why = ended.join();
        if (!(why instanceof VitalPartFailure)) {
            service.drain();
        }
        service.close(); // health answers until the service has stopped: ready goes down, live stays up meanwhile
        if (health != null) {
            health.close();
        }
        telemetry.close();
        if (why instanceof VitalPartFailure failure) {
            err.println(name + " failed: " + failure.getMessage());
            return FAILED;
        }
        return STOPPED;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
