package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.context.Context;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.Futures;
import io.samplingbroker.serviceruntime.kafka.DeadLetters;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;

/**
 * Writes outcomes (to completions) and dead letters with one idempotent producer (acks=all). A send that fails for
 * a transient reason (broker or registry unreachable) is retried until it is acknowledged or the writer closes, so
 * a provider answer already paid for is not lost to a short outage; every attempt sends the same bytes.
 */
final class OutcomeWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final DeadLetterMeter deadLetterMeter;
    private final Producer<String, byte[]> producer;
    private final SamplingTopics topics;
    private final Serializer<SpecificRecord> completions;
    private final ScheduledExecutorService scheduler;
    private final Executor continuation;
    private volatile boolean closed;

    OutcomeWriter(Producer<String, byte[]> producer, SamplingTopics topics, Serializer<SpecificRecord> completions,
            ScheduledExecutorService scheduler, Executor continuation, DeadLetterMeter deadLetters) {
        this.deadLetterMeter = deadLetters;
        this.producer = producer;
        this.topics = topics;
        this.completions = completions;
        this.scheduler = scheduler;
        this.continuation = continuation;
    }

    /**
     * Writes the completion (SamplingCompleted or SamplingFailed); completes when Kafka acknowledged it. In the
     * tamper-evidence chain it follows the decision ({@code decisionHash}). It is the only record of the outcome:
     * whoever answers the server takes the answer from it, as the context's reply route (copied unchanged) says.
     * It is written under {@code trace}'s span, which the broker's or the reviewer's spans follow.
     */
    CompletableFuture<Void> write(String requestId, byte[] decisionHash, SpecificRecord completion, Context trace) {
        String completionsTopic = topics.completions().name();
        RecordHeaders headers = new RecordHeaders();
        EventChain.follow(headers, decisionHash);
        TraceHeaders.inject(trace, headers);
        // Serialized once, when first sent (a registry outage is retried like a Kafka one); the serializer stamps
        // the chain hash into the headers, which the record reads after its value.
        Supplier<byte[]> bytes = once(() -> completions.serialize(completionsTopic, headers, completion));
        return sendUntilAcked(completionsTopic, requestId, bytes, headers);
    }

    /** Copies a record that cannot be processed to the dead-letter topic, raw, with where it came from and why. */
    CompletableFuture<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable cause) {
        deadLetterMeter.setAside(record.topic(), cause);
        return sendUntilAcked(topics.deadLetters().name(), record.key(), record::value, DeadLetters.headers(
                record.headers(), Service.MODEL_WORKER, record.topic(), record.partition(), record.offset(), reason));
    }

    /** A supplier that computes its value on the first call that succeeds, and returns it from then on. */
    private static Supplier<byte[]> once(Supplier<byte[]> compute) {
        AtomicReference<byte[]> value = new AtomicReference<>();
        return () -> {
            byte[] known = value.get();
            if (known == null) {
                synchronized (value) {
                    known = value.get();
                    if (known == null) {
                        known = compute.get();
                        value.set(known);
                    }
                }
            }
            return known;
        };
    }

    private CompletableFuture<Void> sendUntilAcked(String topic, String key, Supplier<byte[]> value,
            Iterable<Header> headers) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        attempt(topic, key, value, headers, acked, FIRST_PAUSE);
        return acked;
    }

    private void attempt(String topic, String key, Supplier<byte[]> value, Iterable<Header> headers,
            CompletableFuture<Void> acked, Duration pause) {
        if (closed) {
            acked.completeExceptionally(new IllegalStateException("the outcome writer is closed"));
            return;
        }
        CompletableFuture<?> sent;
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value.get(), headers);
            sent = Futures.send(producer, record, continuation).toCompletableFuture();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((metadata, error) -> {
            if (error == null) {
                acked.complete(null);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (closed || !isTransient(cause)) {
                LOG.error("Cannot write record {} to {}: {}", key, topic, cause.toString());
                acked.completeExceptionally(cause);
                return;
            }
            LOG.warn("Writing record {} to {} failed ({}); retrying in {} ms", key, topic,
                    cause.getClass().getSimpleName(), pause.toMillis());
            Duration next = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            scheduler.schedule(() -> attempt(topic, key, value, headers, acked, next), pause.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    private static boolean isTransient(Throwable error) {
        return error instanceof RetriableException || error instanceof SchemaRegistryUnavailableException;
    }

    /** Stops retrying; records not yet acknowledged fail. The producer is closed by its owner. */
    @Override
    public void close() {
        closed = true;
    }
}
