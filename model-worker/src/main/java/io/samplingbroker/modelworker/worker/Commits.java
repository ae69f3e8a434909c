package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the ledger's offsets: asynchronously every {@value #INTERVAL_MILLIS} ms while running (a lost commit only
 * means re-reading records whose outcomes are recognised as recorded), synchronously when partitions are handed
 * over or the worker stops.
 */
final class Commits {

    private static final Logger LOG = LoggerFactory.getLogger(Commits.class);
    static final long INTERVAL_MILLIS = 200;
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(15);

    private final Consumer<String, byte[]> consumer;
    private final PartitionLedger ledger;
    private long nextAsync;

    Commits(Consumer<String, byte[]> consumer, PartitionLedger ledger) {
        this.consumer = consumer;
        this.ledger = ledger;
    }

    void commitAsyncIfDue() {
        long now = System.nanoTime();
        if (now - nextAsync < 0) {
            return;
        }
        nextAsync = now + INTERVAL_MILLIS * 1_000_000;
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.toCommit(null);
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                ledger.committed(committed);
            } else {
                LOG.debug("Offset commit failed, retried with the next one: {}", error.toString());
            }
        });
    }

    void commitSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.toCommit(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, SYNC_TIMEOUT);
            ledger.committed(offsets);
        } catch (KafkaException e) {
            LOG.warn("Could not commit offsets {} on hand-over ({}); their records will be read again and recognised",
                    offsets, e.toString());
        }
    }
}
