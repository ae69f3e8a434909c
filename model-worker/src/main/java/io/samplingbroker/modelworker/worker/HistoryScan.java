package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.serviceruntime.kafka.CatchUp;

/**
 * Finds the requests whose outcome is already on the completions topic. Decisions and completions share key and
 * partition count, so the outcome of a decision in decisions partition p is in completions partition p; a worker
 * that takes over partition p reads that partition back over the look-back window before acting on any decision.
 */
final class HistoryScan implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryScan.class);

    private final Consumer<String, byte[]> reader;
    private final Deserializer<SpecificRecord> completions;
    private final String topic;
    private final Duration timeout;

    /**
     * @param reader a consumer of its own, without a group: it is assigned partitions by hand
     * @param completions reads completion values, for the request's deadline
     */
    HistoryScan(Consumer<String, byte[]> reader, Deserializer<SpecificRecord> completions, String topic, Duration timeout) {
        this.reader = reader;
        this.completions = completions;
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * Request ids with an outcome written to these partitions since {@code fromMillis}, each with when it may be
     * forgotten (its deadline; {@code unknownDeadline} when the value cannot be read, which still counts).
     */
    Map<String, Instant> recordedOutcomes(Collection<Integer> partitions, long fromMillis, Instant unknownDeadline) {
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        Map<String, Instant> recorded = new HashMap<>();
        reader.assign(assigned);
        try {
            CatchUp.read(reader, assigned, fromMillis, timeout, record -> {
                if (record.key() != null) {
                    recorded.put(record.key(), deadlineOf(record, unknownDeadline));
                }
            });
        } finally {
            reader.assign(List.of());
        }
        return recorded;
    }

    private Instant deadlineOf(ConsumerRecord<String, byte[]> record, Instant unknownDeadline) {
        try {
            SpecificRecord value = completions.deserialize(record.topic(), record.headers(), record.value());
            if (value instanceof SamplingCompleted completed) {
                return completed.getContext().getDeadline();
            }
            if (value instanceof SamplingFailed failed) {
                return failed.getContext().getDeadline();
            }
        } catch (RuntimeException e) {
            LOG.warn("Completion record {} at {}-{} offset {} is unreadable ({}); counted as recorded", record.key(),
                    record.topic(), record.partition(), record.offset(), e.getClass().getSimpleName());
        }
        return unknownDeadline;
    }

    @Override
    public void close() {
        reader.close();
    }
}
