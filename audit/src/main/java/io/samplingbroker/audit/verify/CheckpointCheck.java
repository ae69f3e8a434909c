package io.samplingbroker.audit.verify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.samplingbroker.audit.replay.PartitionRange;
import io.samplingbroker.audit.replay.RawRecord;

/**
 * Checkpoints: a witness of the history kept outside Kafka. For each topic-partition (named by topic role, so a
 * copy under another prefix compares too) a running SHA-256 over every record in offset order (offset, key, value
 * bytes). {@code verify --write-checkpoint} records the end offset and digest of each; {@code verify --checkpoint}
 * recomputes them and reports a partition that no longer reaches its checkpointed end, starts later, or hashes
 * differently up to it: what the per-request chain cannot see, such as every event of a request deleted, or a
 * rewrite that re-links its events.
 */
public final class CheckpointCheck implements AuditCheck {

    private final Map<String, CheckpointFile.Mark> expected;
    private final Map<String, Running> running = new HashMap<>();

    private CheckpointCheck(Map<String, CheckpointFile.Mark> expected) {
        this.expected = expected;
    }

    /** Computes the digests to write a checkpoint; finds nothing. */
    public static CheckpointCheck recording() {
        return new CheckpointCheck(Map.of());
    }

    /** Compares the history with a checkpoint written earlier. */
    public static CheckpointCheck comparingWith(Map<String, CheckpointFile.Mark> checkpoint) {
        return new CheckpointCheck(checkpoint);
    }

    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public void onPartition(PartitionRange range, AuditScope scope, Findings findings) {
        String key = key(range.role(), range.partition());
        running.put(key, new Running());
        CheckpointFile.Mark mark = expected.get(key);
        if (mark == null) {
            return;
        }
        if (range.start() > 0) {
            findings.add(name(), null, range.topic() + "[" + range.partition() + "]",
                    "the partition now starts at offset " + range.start() + ": records the checkpoint covered were deleted");
        } else if (range.end() < mark.end()) {
            findings.add(name(), null, range.topic() + "[" + range.partition() + "]", "the partition ends at offset "
                    + range.end() + ", before the checkpoint's " + mark.end() + ": records were deleted");
        }
    }

    @Override
    public void onRecord(RawRecord raw, Findings findings) {
        ConsumerRecord<String, byte[]> record = raw.record();
        String key = key(raw.role(), record.partition());
        Running digest = running.get(key);
        if (digest == null) {
            return;
        }
        digest.add(record);
        CheckpointFile.Mark mark = expected.get(key);
        if (mark != null && record.offset() == mark.end() - 1 && !digest.hex().equals(mark.digest())) {
            findings.add(name(), null, record.topic() + "[" + record.partition() + "]", "the records up to offset " + record.offset()
                    + " differ from the checkpoint's: the history before it was altered, deleted or rewritten");
        }
    }

    @Override
    public void onEnd(Findings findings) {
        for (String key : expected.keySet()) {
            if (!running.containsKey(key)) {
                findings.add(name(), null, key, "the checkpoint names a partition the history no longer has");
            }
        }
    }

    /** The end offset and digest of every partition read, for {@link CheckpointFile#write}. */
    public Map<String, CheckpointFile.Mark> marks() {
        Map<String, CheckpointFile.Mark> marks = new TreeMap<>();
        running.forEach((key, digest) -> marks.put(key, new CheckpointFile.Mark(digest.offsetEnd(), digest.hex())));
        return marks;
    }

    static String key(String role, int partition) {
        return role + "/" + partition;
    }

    /** The running digest of one partition. */
    private static final class Running {
        private byte[] digest = new byte[32];
        private long nextOffset;

        void add(ConsumerRecord<String, byte[]> record) {
            MessageDigest sha = sha256();
            sha.update(digest);
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array());
            sha.update(record.key() == null ? new byte[0] : record.key().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(record.value() == null ? new byte[0] : record.value());
            digest = sha.digest();
            nextOffset = record.offset() + 1;
        }

        long offsetEnd() {
            return nextOffset;
        }

        String hex() {
            return HexFormat.of().formatHex(digest);
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JVM", e);
            }
        }
    }
}
