package io.samplingbroker.embeddedinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.processguard.ChildProcesses;

/**
 * Apicurio Registry (a real, Confluent-compatible schema registry) as a child process on a loopback port.
 *
 * <p>The distribution is fetched and unpacked by the Maven build of this module. The child is stopped by
 * {@link #close()}, by a shutdown hook should the JVM exit without that, and by its guard
 * ({@link ChildProcesses}) should the JVM be killed, so no registry outlives its owner. Readiness is the started
 * process's own: its port must be free before it starts (another registry answering there would pass any probe), and
 * it must still be alive when its API answers.
 */
public final class ApicurioRegistryProcess implements AutoCloseable {

    /** Overrides the runner jar location (for a distribution unpacked elsewhere). */
    public static final String RUNNER_JAR_ENV = "SAMPLING_BROKER_APICURIO_JAR";
    /** Path of the Confluent Schema Registry compatible API. */
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistryProcess.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    /** How long a port may stay taken by a registry that is ending (its guard gives it 1 s to notice, 3 s to stop). */
    private static final Duration PORT_PATIENCE = Duration.ofSeconds(6);

    private final Settings settings;
    private final int port;
    private Process process;
    private Thread shutdownHook;

    /**
     * How to run the registry.
     *
     * @param port HTTP port, 0 for a free one
     * @param storageDir keep schemas in an H2 file database here, so ids survive restarts; empty for in-memory
     * @param logFile where the registry's own output goes
     */
    public record Settings(int port, Optional<Path> storageDir, Path logFile) {
        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + port);
            }
            Objects.requireNonNull(storageDir, "storageDir");
            Objects.requireNonNull(logFile, "logFile");
        }

        /** In-memory registry on a free port, logging to a temporary file. */
        public static Settings ephemeral() {
            try {
                return new Settings(0, Optional.empty(), Files.createTempFile("apicurio-registry-", ".log"));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the registry log file", e);
            }
        }
    }

    public ApicurioRegistryProcess(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.port = settings.port() == 0 ? LoopbackPorts.freePort() : settings.port();
    }

    /** Starts the registry and returns once its Confluent-compatible API answers. */
    public synchronized ApicurioRegistryProcess start() {
        if (process != null) {
            return this;
        }
        long started = System.nanoTime();
        List<String> command = command(locateRunnerJar());
        if (!LoopbackPorts.awaitFree(port, PORT_PATIENCE)) {
            throw new IllegalStateException("Cannot start Apicurio Registry: port " + port + " on 127.0.0.1 is in use by"
                    + " another process (a registry left over from an earlier run?); stop it or choose another port");
        }
        try {
            Files.createDirectories(settings.logFile().toAbsolutePath().getParent());
            process = ChildProcesses.start(new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Apicurio Registry: " + String.join(" ", command), e);
        }
        Process child = process;
        shutdownHook = new Thread(() -> stop(child), "apicurio-registry-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            awaitReady();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Apicurio Registry ready at {} in {} ms (pid {}, log {})", confluentApiUrl(),
                (System.nanoTime() - started) / 1_000_000, child.pid(), settings.logFile());
        return this;
    }

    /** The base URL to give Confluent-compatible clients as {@code schema.registry.url}. */
    public String confluentApiUrl() {
        return "http://127.0.0.1:" + port + CONFLUENT_API_PATH;
    }

    public int port() {
        return port;
    }

    public Optional<Long> pid() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.pid());
    }

    private List<String> command(Path runnerJar) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.non-application-root-path=/q");
        settings.storageDir().ifPresent(dir -> command.add(
                "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dir.toAbsolutePath().resolve("registry")));
        command.add("-jar");
        command.add(runnerJar.toString());
        return command;
    }

    static Path locateRunnerJar() {
        String override = System.getenv(RUNNER_JAR_ENV);
        if (override != null && !override.isBlank()) {
            Path jar = Path.of(override);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(RUNNER_JAR_ENV + " points to " + jar + ", which is not a file");
            }
            return jar;
        }
        Properties props = new Properties();
        try (InputStream in = ApicurioRegistryProcess.class.getResourceAsStream("apicurio.properties")) {
            if (in == null) {
                throw new IllegalStateException("apicurio.properties is missing from the classpath");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path home = Path.of(props.getProperty("apicurio.home"));
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("Apicurio Registry is not unpacked at " + home
                    + ": build the embedded-infra module with Maven (it fetches the distribution), or set "
                    + RUNNER_JAR_ENV);
        }
        try (Stream<Path> files = Files.walk(home, 3)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No *-runner.jar under " + home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " during start-up; see " + settings.logFile());
            }
            try {
                HttpResponse<Void> response = client.send(probe, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 && process.isAlive()) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                LOG.debug("Registry probe failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
            }
            sleep(100);
        }
        throw new IllegalStateException("Apicurio Registry did not answer on " + confluentApiUrl() + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s; see " + settings.logFile());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static void stop(Process child) {
        if (child.isAlive()) {
            ChildProcesses.stop(child, Duration.ofSeconds(15));
        }
    }

    /**
     * Kills the registry's JVM with -9 (the fault suite's crash) and waits for it to end; {@link #start()} starts it
     * again on the same port and storage.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        ChildProcesses.command(process).ifPresent(ProcessHandle::destroyForcibly);
        forget(process);
    }

    /** Stops the registry and waits for the process to end. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        forget(process);
    }

    private void forget(Process child) {
        stop(child);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) anyway
        }
        process = null;
        shutdownHook = null;
    }
}
