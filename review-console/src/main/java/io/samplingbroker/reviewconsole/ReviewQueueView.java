package io.samplingbroker.reviewconsole;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import io.samplingbroker.serviceruntime.service.FailureSignal;

/**
 * Every review, read from the compacted reviews topic into memory. Each console instance reads every partition
 * from the beginning without a consumer group (no offsets to commit: the topic is the state), on its own thread.
 * {@link #caughtUp()} completes once the items present at start have all been read.
 */
public final class ReviewQueueView extends ReviewItemMap implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewQueueView.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final KafkaConsumer<String, ReviewItem> consumer;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean started;

    private final FailureSignal failures;

    /** {@code failures} hears when reading stops for good: without the queue the console shows a stale one. */
    public ReviewQueueView(KafkaSettings kafka, TopicSpec<ReviewItem> reviews, SchemaRegistryClient registry,
            FailureSignal failures) {
        this.failures = failures;
        Map<String, Object> config = KafkaClients.assignedConsumer(kafka, Service.REVIEW_CONSOLE, "queue", "earliest");
        this.consumer = new KafkaConsumer<>(config, reviews.keySerde().deserializer(),
                reviews.valueDeserializer(config, registry));
        this.topic = reviews.name();
        this.thread = new Thread(this::run, "review-console-queue");
        this.thread.setDaemon(true);
    }

    /** Starts reading; returns at once. */
    public synchronized ReviewQueueView start() {
        started = true;
        thread.start();
        return this;
    }

    /** Completes when every item that existed at start has been read (fails if reading could not begin). */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> ends = assignAll();
            while (running) {
                if (!caughtUp.isDone() && reached(ends)) {
                    LOG.info("Review console: loaded {} reviews from {}", size(), topic);
                    caughtUp.complete(null);
                }
                pollOnce();
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("Review console: reading {} stopped", topic, e);
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
            for (ConsumerRecord<String, ReviewItem> record : consumer.poll(POLL)) {
                apply(record.key(), record.value());
            }
        } catch (RecordDeserializationException e) {
            if (e.getCause() instanceof SchemaRegistryUnavailableException) {
                // read it again once the registry is back rather than lose an item
                LOG.warn("Review console: schema registry unavailable, retrying {}: {}", e.topicPartition(),
                        e.getCause().getMessage());
                consumer.seek(e.topicPartition(), e.offset());
                sleep();
            } else {
                LOG.warn("Review console: skipping unreadable record {}@{}: {}", e.topicPartition(), e.offset(),
                        e.getMessage());
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
