package io.samplingbroker.modelworker.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which decision records are finished, per partition, and so which offset may be committed: the lowest record
 * still open (polled but not finished), or one past the last record seen when none is open. Committing never goes
 * past an unfinished request, so a restart or a rebalance redoes it (at least once); requests already recorded are
 * then recognised from the completions topic and not sent again. Used by the poll thread only.
 */
final class PartitionLedger {

    private static final class Partition {
        final TreeSet<Long> open = new TreeSet<>();
        long nextAfterSeen = -1;
        long committed = -1;

        long committable() {
            return open.isEmpty() ? nextAfterSeen : open.first();
        }
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** A record was polled: it stays open until {@link #finish}. */
    void track(TopicPartition partition, long offset) {
        Partition p = partitions.computeIfAbsent(partition, tp -> new Partition());
        p.open.add(offset);
        p.nextAfterSeen = Math.max(p.nextAfterSeen, offset + 1);
    }

    /** The record needs no more work (outcome recorded, or nothing to do). */
    void finish(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.open.remove(offset);
        }
    }

    /** Offsets that moved since the last commit, for the given partitions (all when null). */
    Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long offset = p.committable();
            if ((only == null || only.contains(tp)) && offset > p.committed) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return offsets;
    }

    /** Kafka accepted these offsets. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, offset) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, offset.offset());
            }
        });
    }

    int openRecords(TopicPartition partition) {
        Partition p = partitions.get(partition);
        return p == null ? 0 : p.open.size();
    }

    void forget(TopicPartition partition) {
        partitions.remove(partition);
    }
}
