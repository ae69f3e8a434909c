package io.samplingbroker.serviceruntime.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.registry.DeserializationFailure;

/** Reads assigned partitions from a point in time up to their end as of now, handing every record to a sink. */
public final class CatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private CatchUp() {
    }

    /**
     * Seeks {@code partitions} (already assigned to {@code consumer}) to the first record written at or after
     * {@code fromMillis}, then polls until each has reached the end offset it had when this call began. Records of
     * the consumer's other partitions polled meanwhile go to the sink too. A record that cannot be deserialized is
     * logged and skipped.
     *
     * @throws TimeoutException when the end is not reached within {@code timeout}
     */
    public static <V> void read(Consumer<String, V> consumer, Collection<TopicPartition> partitions, long fromMillis,
            Duration timeout, java.util.function.Consumer<ConsumerRecord<String, V>> sink) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, fromMillis));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp start = starts.get(tp);
            consumer.seek(tp, start == null ? ends.get(tp) : start.offset());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(consumer, ends)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Reading " + partitions + " up to offsets " + ends + " took more than "
                        + timeout.toSeconds() + " s");
            }
            try {
                consumer.poll(POLL).forEach(sink);
            } catch (RecordDeserializationException e) {
                LOG.warn("{}; skipped", DeserializationFailure.of(e).describe());
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
    }

    private static boolean reachedEnd(Consumer<String, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
