package io.samplingbroker.audit.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A checkpoint on disk (JSON): for each {@code role/partition}, the end offset covered and the digest of the records
 * up to it. Keep it where the services' producers cannot write (another machine, object storage with retention
 * lock, a signed commit).
 */
public final class CheckpointFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    /** What a checkpoint says of one partition: records {@code [0, end)} hash to {@code digest}. */
    public record Mark(long end, String digest) {
    }

    private CheckpointFile() {
    }

    public static void write(Path file, Map<String, Mark> marks, Instant writtenAt) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("writtenAt", writtenAt.toString());
        ObjectNode partitions = root.putObject("partitions");
        new TreeMap<>(marks).forEach((key, mark) -> partitions.putObject(key).put("end", mark.end())
                .put("digest", mark.digest()));
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    /** @throws IllegalArgumentException naming the file when it is not a checkpoint this version wrote */
    public static Map<String, Mark> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a checkpoint (not JSON): " + e.getMessage(), e);
        }
        if (root == null || root.path("version").asInt() != VERSION || !root.path("partitions").isObject()) {
            throw new IllegalArgumentException(file + " is not a version " + VERSION + " checkpoint");
        }
        Map<String, Mark> marks = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.path("partitions").properties()) {
            JsonNode end = field.getValue().path("end");
            JsonNode digest = field.getValue().path("digest");
            if (!end.canConvertToLong() || !digest.isTextual()) {
                throw new IllegalArgumentException(file + ": partition " + field.getKey() + " lacks end or digest");
            }
            marks.put(field.getKey(), new Mark(end.asLong(), digest.asText()));
        }
        return marks;
    }
}
