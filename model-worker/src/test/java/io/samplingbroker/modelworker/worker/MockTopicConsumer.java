package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Kafka's {@link MockConsumer} over one topic whose content it keeps, as a broker would: records appended to a
 * partition are seen by whoever is assigned it (by hand or by a rebalance), from its position on. What MockConsumer
 * lacks for the worker is filled in: {@code offsetsForTimes} (the look-back read), end offsets that follow the
 * appended records, every commit remembered (even after close), and a short pause when a poll finds nothing, so a
 * poll loop does not spin.
 */
final class MockTopicConsumer<V> extends MockConsumer<String, V> {

    private static final Duration IDLE = Duration.ofMillis(5);

    private final String topic;
    private final Map<TopicPartition, List<ConsumerRecord<String, V>>> log = new HashMap<>();
    private final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();

    MockTopicConsumer(String topic, int partitions) {
        super("earliest");
        this.topic = topic;
        Map<TopicPartition, Long> empty = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            empty.put(new TopicPartition(topic, p), 0L);
        }
        updateBeginningOffsets(empty);
        updateEndOffsets(empty);
    }

    TopicPartition partition(int partition) {
        return new TopicPartition(topic, partition);
    }

    /** Appends a record at the partition's next offset, written now; returns it as a consumer will read it. */
    ConsumerRecord<String, V> append(int partition, String key, V value, Headers headers) {
        return append(partition, key, value, headers, System.currentTimeMillis());
    }

    synchronized ConsumerRecord<String, V> append(int partition, String key, V value, Headers headers,
            long timestamp) {
        TopicPartition tp = partition(partition);
        List<ConsumerRecord<String, V>> records = log.computeIfAbsent(tp, t -> new ArrayList<>());
        ConsumerRecord<String, V> record = new ConsumerRecord<>(topic, partition, records.size(), timestamp,
                TimestampType.CREATE_TIME, -1, -1, key, value, headers == null ? new RecordHeaders() : headers,
                Optional.empty());
        records.add(record);
        updateEndOffsets(Map.of(tp, (long) records.size()));
        if (assignment().contains(tp)) {
            addRecord(record);
        }
        return record;
    }

    /** On the next poll, on the polling thread (as Kafka does), the group gives this consumer {@code partitions}. */
    void rebalanceOnNextPoll(Collection<TopicPartition> partitions) {
        schedulePollTask(() -> rebalance(partitions));
    }

    @Override
    public synchronized void assign(Collection<TopicPartition> partitions) {
        Set<TopicPartition> before = new HashSet<>(assignment());
        super.assign(partitions);
        deliverLogOf(partitions, before);
    }

    @Override
    public synchronized void rebalance(Collection<TopicPartition> newAssignment) {
        Set<TopicPartition> before = new HashSet<>(assignment());
        super.rebalance(newAssignment);
        deliverLogOf(newAssignment, before);
    }

    private void deliverLogOf(Collection<TopicPartition> partitions, Set<TopicPartition> before) {
        for (TopicPartition tp : partitions) {
            if (!before.contains(tp)) {
                log.getOrDefault(tp, List.of()).forEach(this::addRecord);
            }
        }
    }

    /** The first record written at or after each time, or null where there is none (as KafkaConsumer answers). */
    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> query) {
        Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
        query.forEach((tp, time) -> found.put(tp, log.getOrDefault(tp, List.of()).stream()
                .filter(record -> record.timestamp() >= time).findFirst()
                .map(record -> new OffsetAndTimestamp(record.offset(), record.timestamp())).orElse(null)));
        return found;
    }

    @Override
    public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
            OffsetCommitCallback callback) {
        commits.add(Map.copyOf(offsets));
        super.commitAsync(offsets, callback);
    }

    /** Every offset committed for {@code tp}, in order (sync and async commits alike). */
    List<Long> commitsOf(TopicPartition tp) {
        return commits.stream().filter(c -> c.containsKey(tp)).map(c -> c.get(tp).offset()).toList();
    }

    /** The last offset committed for {@code tp}, or -1. */
    long lastCommitted(TopicPartition tp) {
        List<Long> offsets = commitsOf(tp);
        return offsets.isEmpty() ? -1 : offsets.get(offsets.size() - 1);
    }

    @Override
    public ConsumerRecords<String, V> poll(Duration timeout) {
        ConsumerRecords<String, V> records = super.poll(timeout);
        if (records.isEmpty() && !timeout.isZero()) {
            try {
                Thread.sleep(Math.min(timeout.toMillis(), IDLE.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return records;
    }
}
