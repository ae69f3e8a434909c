package io.samplingbroker.embeddedinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** File-system chores of the embedded infrastructure and the stacks built on it. */
public final class Directories {

    private Directories() {
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }

    /**
     * Writes flat settings ({@code kafka.sasl.jaas.config: ...}) as a service's YAML config file, values quoted,
     * readable by its owner only: a client's settings hold its password.
     */
    public static void writeSettingsFile(Path file, String comment, Map<String, String> settings) {
        StringBuilder yaml = new StringBuilder("# ").append(comment).append('\n');
        new TreeMap<>(settings).forEach((key, value) -> yaml.append(key).append(": '")
                .append(value.replace("'", "''")).append("'\n"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the directory's own protection applies
            }
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
