package io.samplingbroker.serviceruntime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Kafka callbacks as futures. */
public final class Futures {

    private Futures() {
    }

    /**
     * Sends a record and completes when Kafka acknowledged it. Completion runs on {@code continuation}, never on the
     * producer's I/O thread, so callers may do work in their callbacks without stalling every other send.
     * A serialization error (registry down) fails the future instead of escaping as an exception.
     */
    public static <K, V> CompletionStage<RecordMetadata> send(Producer<K, V> producer, ProducerRecord<K, V> record,
            Executor continuation) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    continuation.execute(() -> acked.completeExceptionally(error));
                } else {
                    continuation.execute(() -> acked.complete(metadata));
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
