package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.registry.DeserializationFailure;
import io.samplingbroker.serviceruntime.kafka.CatchUp;

/**
 * Follows the lifecycle partitions that match the worker's decisions partitions (same key, same partition count),
 * so cancellations of the requests it owns reach it and no others. On taking a partition it first reads back the
 * look-back window, so a request cancelled before the worker took over is known before its decision is read.
 * Runs on the poll thread; the consumer has no group and is assigned by hand.
 */
final class LifecycleFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleFollower.class);

    private final Consumer<String, SpecificRecord> consumer;
    private final String topic;
    private final Duration timeout;
    private final Set<TopicPartition> followed = new HashSet<>();

    LifecycleFollower(Consumer<String, SpecificRecord> consumer, String topic, Duration timeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Starts following these partitions, after reading them from {@code fromMillis} to their current end. */
    void follow(Collection<Integer> partitions, long fromMillis,
            java.util.function.Consumer<ConsumerRecord<String, SpecificRecord>> sink) {
        List<TopicPartition> added = partitions.stream().map(p -> new TopicPartition(topic, p))
                .filter(tp -> !followed.contains(tp)).toList();
        if (added.isEmpty()) {
            return;
        }
        followed.addAll(added);
        consumer.assign(Set.copyOf(followed));
        CatchUp.read(consumer, added, fromMillis, timeout, sink);
    }

    void unfollow(Collection<Integer> partitions) {
        partitions.forEach(p -> followed.remove(new TopicPartition(topic, p)));
        consumer.assign(Set.copyOf(followed));
    }

    /** Hands over whatever arrived, without waiting. */
    void poll(java.util.function.Consumer<ConsumerRecord<String, SpecificRecord>> sink) {
        if (followed.isEmpty()) {
            return;
        }
        try {
            consumer.poll(Duration.ZERO).forEach(sink);
        } catch (RecordDeserializationException e) {
            LOG.warn("{}; skipped", DeserializationFailure.of(e).describe());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
