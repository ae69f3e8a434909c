package io.samplingbroker.schemas.topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;

/**
 * The topic value schemas of every released version, kept under {@code schemas/released/<version>/<role>.avsc}.
 *
 * <p>At a release, snapshot the current schemas with
 * {@code mvn -pl schemas test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.samplingbroker.schemas.topics.ReleasedSchemas -Dexec.args=<version>}.
 */
public final class ReleasedSchemas {

    /** {@code schemas/released}, found from this class's location ({@code schemas/target/test-classes}). */
    static final Path ROOT = moduleDirectory().resolve("released");

    /** A released version's topic schemas by role. */
    record Release(String version, Map<String, Schema> schemasByRole) {
    }

    private ReleasedSchemas() {
    }

    /** The current topic value schemas by role (topics of raw bytes have none). */
    static Map<String, Schema> current() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (TopicSpec<?> topic : new SamplingTopics(TopicsConfig.defaults()).all()) {
            if (topic.valueSchema() != null) {
                schemas.put(topic.role(), topic.valueSchema());
            }
        }
        return schemas;
    }

    /** Every release, oldest first. */
    static List<Release> all() {
        if (!Files.isDirectory(ROOT)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(ROOT)) {
            List<Release> releases = new ArrayList<>();
            for (Path dir : versions.filter(Files::isDirectory).sorted(Comparator.comparing(ReleasedSchemas::versionKey)).toList()) {
                Map<String, Schema> schemas = new LinkedHashMap<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                        String role = file.getFileName().toString().replace(".avsc", "");
                        schemas.put(role, new Schema.Parser().parse(Files.readString(file)));
                    }
                }
                releases.add(new Release(dir.getFileName().toString(), schemas));
            }
            return releases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path moduleDirectory() {
        try {
            Path classes = Path.of(ReleasedSchemas.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String versionKey(Path dir) {
        StringBuilder key = new StringBuilder();
        for (String part : dir.getFileName().toString().split("\\.")) {
            key.append(String.format("%08d", Integer.parseInt(part.replaceAll("\\D", "0"))));
        }
        return key.toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ReleasedSchemas <version>");
        }
        Path dir = ROOT.resolve(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, Schema> entry : current().entrySet()) {
            Files.writeString(dir.resolve(entry.getKey() + ".avsc"), SchemaFormatter.getInstance("json/pretty").format(entry.getValue()) + "\n");
        }
        System.out.println("Wrote " + current().size() + " schemas to " + dir.toAbsolutePath());
    }
}
