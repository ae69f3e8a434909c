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
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.samplingbroker.runtime.Futures;
import io.samplingbroker.runtime.KafkaSettings;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.EventChain;
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
        Serializer<Object> valueSerializer = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, Object value) {
                return byTopic.get(topic).serialize(topic, value);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, Object value) {
                return byTopic.get(topic).serialize(topic, headers, value); // stamps the chain hash
            }
        };
        this.producer = new KafkaProducer<>(config, new StringSerializer(), valueSerializer);
    }

    /**
     * Completes when Kafka acknowledged the event; fails when it could not be written (never silently). The event
     * follows {@code chain}'s latest hash in the tamper-evidence chain, read when it is sent (events are sent in the
     * order published), and becomes the chain's latest.
     */
    CompletionStage<RecordMetadata> publish(String topic, String requestId, Object event, ChainHead chain) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            RecordHeaders headers = new RecordHeaders();
            EventChain.follow(headers, chain.hash());
            ProducerRecord<String, Object> record = new ProducerRecord<>(topic, null, requestId, event, headers);
            CompletionStage<RecordMetadata> sent = Futures.send(producer, record, continuations);
            // the serializer stamped the record's own headers (a copy of ours) during send
            chain.advance(EventChain.hashOf(record.headers()));
            return sent;
        }, sender).thenCompose(sent -> sent);
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
