package io.samplingbroker.approvalworker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.streams.StreamsConfig;

/**
 * A state directory for one {@code TopologyTestDriver}, under {@code target/} (not the OS temp directory, which
 * Kafka Streams warns may be cleared under it), with the settings every driver here uses; deleted on close.
 */
public final class StreamsTestState implements AutoCloseable {

    private final Path dir;

    public StreamsTestState(String name) {
        try {
            Files.createDirectories(Path.of("target", "topology-test-state"));
            dir = Files.createTempDirectory(Path.of("target", "topology-test-state"), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Driver properties: this state directory, and the global-thread handler switch as in production. */
    @SuppressWarnings("deprecation") // see StreamsProperties: the switch is deprecated on arrival
    public Properties properties(String applicationId) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        return properties;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
