package io.samplingbroker.reviewconsole;

import java.util.concurrent.CompletableFuture;

import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.CompactedTopicReader;
import io.samplingbroker.serviceruntime.kafka.DeadLetterSink;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.service.FailureSignal;

/**
 * Every review, read from the compacted reviews topic into memory: each console instance reads all of it
 * ({@link CompactedTopicReader}). {@link #caughtUp()} completes once the items present at start have all been read.
 */
public final class ReviewQueueView extends ReviewItemMap implements AutoCloseable {

    private final CompactedTopicReader<ReviewItem> reader;
    private final DeadLetterSink deadLetters;

    /**
     * {@code failures} hears when reading stops for good: without the queue the console shows a stale one. A review
     * that cannot be read is set aside on the dead-letters topic.
     */
    public ReviewQueueView(KafkaSettings kafka, TopicSpec<ReviewItem> reviews, SchemaRegistryClient registry,
            FailureSignal failures, DeadLetterMeter deadLetterMeter) {
        this.deadLetters = DeadLetterSink.of(kafka, Service.REVIEW_CONSOLE, deadLetterMeter);
        this.reader = new CompactedTopicReader<>(kafka, Service.REVIEW_CONSOLE, "queue", reviews, registry,
                this::apply, failures, deadLetters::setAside);
    }

    /** Starts reading; returns at once. */
    public ReviewQueueView start() {
        reader.start();
        return this;
    }

    /** Completes when every item that existed at start has been read (fails if reading could not begin). */
    public CompletableFuture<Void> caughtUp() {
        return reader.caughtUp();
    }

    /** Stops reading; idempotent. */
    @Override
    public void close() {
        try {
            reader.close();
        } finally {
            deadLetters.close();
        }
    }
}
