package io.samplingbroker.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.audit.replay.PartitionRange;
import io.samplingbroker.audit.replay.RawRecord;

/** Checkpoints: a history compared with the digest of itself passes; one shortened, altered or cut does not. */
class CheckpointCheckTest {

    private static RawRecord record(long offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new RawRecord("requests", new ConsumerRecord<>("sampling.requests", 0, offset, 0L,
                TimestampType.CREATE_TIME, 5, bytes.length, "req-" + offset, bytes, new RecordHeaders(), Optional.empty()));
    }

    private static List<RawRecord> history(String... values) {
        List<RawRecord> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(record(i, values[i]));
        }
        return records;
    }

    private static List<Finding> replay(CheckpointCheck check, long logStart, List<RawRecord> records) {
        Findings findings = new Findings();
        check.onPartition(new PartitionRange("requests", "sampling.requests", 0, logStart, logStart,
                logStart + records.size()), null, findings);
        records.forEach(record -> check.onRecord(record, findings));
        check.onEnd(findings);
        return findings.list();
    }

    private static Map<String, CheckpointFile.Mark> checkpointOf(List<RawRecord> records, Path dir) throws Exception {
        CheckpointCheck recording = CheckpointCheck.recording();
        replay(recording, 0, records);
        Path file = dir.resolve("checkpoint.json");
        CheckpointFile.write(file, recording.marks(), Instant.parse("2026-11-24T07:00:00Z"));
        return CheckpointFile.read(file);
    }

    @Test
    void givenTheSameHistory_whenComparedWithItsCheckpoint_thenNothingIsFound(@TempDir Path dir) throws Exception {
        Map<String, CheckpointFile.Mark> checkpoint = checkpointOf(history("a", "b", "c"), dir);

        assertThat(checkpoint).containsOnlyKeys("requests/0");
        assertThat(checkpoint.get("requests/0").end()).isEqualTo(3);
        assertThat(replay(CheckpointCheck.comparingWith(checkpoint), 0, history("a", "b", "c", "later"))).isEmpty();
    }

    @Test
    void givenAHistoryRewrittenWithARecordChanged_whenCompared_thenTheDifferenceIsFound(@TempDir Path dir)
            throws Exception {
        Map<String, CheckpointFile.Mark> checkpoint = checkpointOf(history("a", "b", "c"), dir);

        assertThat(replay(CheckpointCheck.comparingWith(checkpoint), 0, history("a", "B", "c"))).singleElement()
                .satisfies(finding -> assertThat(finding.message()).contains("differ from the checkpoint"));
    }

    @Test
    void givenAHistoryWithARecordRemoved_whenCompared_thenTheDeletionIsFound(@TempDir Path dir) throws Exception {
        Map<String, CheckpointFile.Mark> checkpoint = checkpointOf(history("a", "b", "c"), dir);

        assertThat(replay(CheckpointCheck.comparingWith(checkpoint), 0, history("a", "c"))).singleElement()
                .satisfies(finding -> assertThat(finding.message()).contains("records were deleted"));
    }

    @Test
    void givenAPartitionWhoseStartWasDeleted_whenCompared_thenTheDeletionIsFound(@TempDir Path dir) throws Exception {
        Map<String, CheckpointFile.Mark> checkpoint = checkpointOf(history("a", "b", "c"), dir);

        assertThat(replay(CheckpointCheck.comparingWith(checkpoint), 1, List.of(record(1, "b"), record(2, "c"))))
                .anySatisfy(finding -> assertThat(finding.message()).contains("now starts at offset 1"));
    }
}
