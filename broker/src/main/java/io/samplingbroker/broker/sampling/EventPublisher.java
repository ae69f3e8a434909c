package io.samplingbroker.broker.sampling;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.samplingbroker.runtime.Futures;
import io.samplingbroker.runtime.KafkaSettings;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;

/**
 * Writes the broker's events (requests, lifecycle) with one producer. Sends happen on one dedicated thread: a send
 * can block (metadata, the first schema registration), which must never happen on a Vert.x event loop, and one
 * thread keeps a request's events in the order they were decided.
 */
final class EventPublisher implements AutoCloseable {

    private final KafkaProducer<String, Object> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "sampling-event-sender"));
    private final ExecutorService continuations = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "sampling-event-acks");
        thread.setDaemon(true);
        return thread;
    });

    EventPublisher(KafkaSettings kafka, SamplingTopics topics, SchemaRegistryClient registry) {
        Map<String, Object> config = kafka.producerConfig();
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        Map<String, Serializer<Object>> byTopic = new HashMap<>();
        for (TopicSpec<?> topic : topics.all()) {
            @SuppressWarnings("unchecked")
            Serializer<Object> serializer = (Serializer<Object>) topic.valueSerializer(config, registry);
            byTopic.put(topic.name(), serializer);
        }
        Serializer<Object> valueSerializer = (topic, value) -> byTopic.get(topic).serialize(topic, value);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), valueSerializer);
    }

    /** Completes when Kafka acknowledged the event; fails when it could not be written (never silently). */
    CompletionStage<RecordMetadata> publish(String topic, String requestId, Object event) {
        return java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Futures.send(producer, new ProducerRecord<>(topic, requestId, event), continuations), sender)
                .thenCompose(sent -> sent);
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(10));
        continuations.shutdown();
    }
}
