package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.processguard.ChildProcesses;

/**
 * One service of the sampling flow as an OS process of its own, as it runs in production: a child JVM running the
 * service's main on this JVM's class path (the built jars), configured through the environment ({@code SAMPLING_*}),
 * with its health on a management port of its own, and guarded so it ends with the test however the test ends.
 * The fault suite kills it (-9) or stops it (SIGTERM) and times its recovery from its health.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final Process guard;
    private final int managementPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

    private ServiceProcess(String name, Process guard, int managementPort, Path log) {
        this.name = name;
        this.guard = guard;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} (a service's main, run by {@code ServiceRunner}) with {@code environment} on top of
     * this JVM's; returns at once ({@link #awaitReady}).
     *
     * @param logDir where {@code <name>.log} gets the service's output
     */
    public static ServiceProcess start(String name, String mainClass, Map<String, String> environment, Path logDir) {
        return run(name, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass),
                environment, logDir);
    }

    /**
     * Runs {@code command} (a service's start script of its distribution, which execs its JVM) with
     * {@code environment} on top of this JVM's; returns at once ({@link #awaitReady}).
     */
    public static ServiceProcess run(String name, List<String> command, Map<String, String> environment, Path logDir) {
        int port = LoopbackPorts.freePort();
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SAMPLING_MANAGEMENT_PORT", Integer.toString(port));
        try {
            Files.createDirectories(logDir);
            return new ServiceProcess(name, ChildProcesses.start(builder), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + " (" + String.join(" ", command) + ")", e);
        }
    }

    /** Where the service serves its health and metrics. */
    public int managementPort() {
        return managementPort;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Waits until {@code /health/ready} answers 200; fails naming the last answer and the log. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!guard.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + guard.exitValue() + " before it was"
                        + " ready; see " + log);
            }
            Optional<HttpResponse<String>> ready = health("ready");
            if (ready.isPresent() && ready.get().statusCode() == 200) {
                return this;
            }
            last = ready.map(r -> r.statusCode() + " " + r.body()).orElse("no answer");
            Polling.pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s (last: " + last
                + "); see " + log);
    }

    /** Whether {@code /health/ready} answers 200 now. */
    public boolean ready() {
        return health("ready").map(r -> r.statusCode() == 200).orElse(false);
    }

    /** SIGKILL to the service's JVM (no shutdown hook, no drain, no clean leave of its group); returns its status. */
    public int kill() {
        jvm().ifPresent(ProcessHandle::destroyForcibly);
        return awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM to the service's JVM: it drains and stops as its runner says; returns its exit code. */
    public int terminate(Duration patience) {
        jvm().ifPresent(ProcessHandle::destroy);
        return awaitExit(patience);
    }

    public boolean alive() {
        return guard.isAlive();
    }

    /** The service's JVM's pid (not its guard's), for reading its CPU time and memory from /proc; empty once ended. */
    public Optional<Long> pid() {
        return jvm().map(ProcessHandle::pid);
    }

    private Optional<ProcessHandle> jvm() {
        return ChildProcesses.command(guard);
    }

    private int awaitExit(Duration patience) {
        try {
            if (!guard.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not exit within " + patience.toSeconds() + " s; see "
                        + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        }
        return guard.exitValue();
    }

    private Optional<HttpResponse<String>> health(String which) {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/health/" + which)).timeout(PROBE_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (guard.isAlive()) {
            ChildProcesses.stop(guard, Duration.ofSeconds(30));
        }
    }
}
