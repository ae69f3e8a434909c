package io.samplingbroker.serviceruntime.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.service.FailureSignal;

/**
 * Reads a compacted topic, which holds state rather than events (the reviews, the host keys), into whoever keeps it
 * in memory: every partition from the beginning, then what arrives, on its own thread, without a consumer group (no
 * offsets to commit: the topic is the state, and every instance of the service needs all of it). Each record goes to
 * {@code apply} as key and value (null: a tombstone). {@link #caughtUp()} completes once what the topic held at start
 * has been applied. A record that cannot be decoded (or was not written by the services) is skipped with a warning
 * and handed to {@code unreadable} (a service sets it aside with its {@link DeadLetterSink}); one that waits for the
 * schema registry is read again once it is back, so nothing is lost to an outage.
 */
public final class CompactedTopicReader<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final KafkaConsumer<String, V> consumer;
    private final String topic;
    private final BiConsumer<String, V> apply;
    private final Consumer<RecordDeserializationException> unreadable;
    private final FailureSignal failures;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean started;
    private long applied;

    /**
     * @param role names the client ({@code <service>-<role>}) and the thread
     * @param failures hears when reading stops for good: the service would serve stale state
     * @param unreadable gets each record that cannot be decoded, after the warning
     */
    public CompactedTopicReader(KafkaSettings kafka, Service service, String role, TopicSpec<V> spec,
            SchemaRegistryClient registry, BiConsumer<String, V> apply, FailureSignal failures,
            Consumer<RecordDeserializationException> unreadable) {
        this.unreadable = unreadable;
        Map<String, Object> config = KafkaClients.assignedConsumer(kafka, service, role, "earliest");
        this.consumer = new KafkaConsumer<>(config, spec.keySerde().deserializer(),
                spec.valueDeserializer(config, registry));
        this.topic = spec.name();
        this.apply = apply;
        this.failures = failures;
        this.thread = new Thread(this::run, service.id() + "-" + role);
        this.thread.setDaemon(true);
    }

    /** Starts reading; returns at once. */
    public synchronized CompactedTopicReader<V> start() {
        started = true;
        thread.start();
        return this;
    }

    /** Completes when every record that existed at start has been applied (fails if reading could not begin). */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> ends = assignAll();
            while (running) {
                if (!caughtUp.isDone() && reached(ends)) {
                    LOG.info("Loaded {} records of {}", applied, topic);
                    caughtUp.complete(null);
                }
                pollOnce();
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("Reading {} stopped", topic, e);
            caughtUp.completeExceptionally(e);
            failures.fail("the reader of " + topic, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private Map<TopicPartition, Long> assignAll() {
        List<TopicPartition> partitions = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + topic + " does not exist");
        }
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return new HashMap<>(consumer.endOffsets(partitions));
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void pollOnce() {
        try {
            for (ConsumerRecord<String, V> record : consumer.poll(POLL)) {
                if (record.key() != null) {
                    apply.accept(record.key(), record.value());
                    applied++;
                }
            }
        } catch (RecordDeserializationException e) {
            if (e.getCause() instanceof SchemaRegistryUnavailableException) {
                LOG.warn("Schema registry unavailable, reading {} again: {}", e.topicPartition(),
                        e.getCause().getMessage());
                consumer.seek(e.topicPartition(), e.offset());
                sleep();
            } else {
                LOG.warn("Skipping unreadable record {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                unreadable.accept(e);
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops reading; idempotent. */
    @Override
    public synchronized void close() {
        running = false;
        if (!started) {
            started = true; // a second close must not close the consumer again
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        caughtUp.completeExceptionally(new IllegalStateException("closed"));
    }
}
