package io.samplingbroker.broker.sampling;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.EventSerializer;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.Futures;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.DeadLetters;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;

/**
 * Writes the broker's events (requests, lifecycle) with one producer. Sends happen on one dedicated thread: a send
 * can block (metadata, the first schema registration), which must never happen on a Vert.x event loop, and one
 * thread keeps a request's events in the order they were decided.
 */
final class EventPublisher implements AutoCloseable {

    private final Producer<String, Object> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "sampling-event-sender"));
    private final ExecutorService continuations = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "sampling-event-acks");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param producer a producer whose value serializer stamps the chain hash into the record's headers
     *     ({@link EventChain#stamping}), as every topic's serializer does
     */
    EventPublisher(Producer<String, Object> producer) {
        this.producer = producer;
    }

    /** A Kafka producer that writes the broker's topics (and only those: {@link Service#BROKER}). */
    static EventPublisher connect(KafkaSettings kafka, SamplingTopics topics, SchemaRegistryClient registry) {
        Map<String, Object> config = KafkaClients.producer(kafka, Service.BROKER, "events");
        return new EventPublisher(new KafkaProducer<>(config, new StringSerializer(),
                EventSerializer.of(Service.BROKER, topics, config, registry)));
    }

    /**
     * Completes when Kafka acknowledged the event; fails when it could not be written (never silently). The event
     * follows {@code chain}'s latest hash in the tamper-evidence chain, read when it is sent (events are sent in the
     * order published), and becomes the chain's latest. Its headers name {@code trace}'s span, which the workers'
     * spans for it follow.
     */
    CompletionStage<RecordMetadata> publish(String topic, String requestId, Object event, ChainHead chain,
            RequestTrace trace) {
        return send(topic, requestId, event, chain, trace, false);
    }

    /**
     * Like {@link #publish}, for an event that starts the request's chain whatever the chain held: the record of a
     * refused request, which stands in for a request event that was never written.
     */
    CompletionStage<RecordMetadata> publishFirst(String topic, String requestId, Object event, ChainHead chain,
            RequestTrace trace) {
        return send(topic, requestId, event, chain, trace, true);
    }

    private CompletionStage<RecordMetadata> send(String topic, String requestId, Object event, ChainHead chain,
            RequestTrace trace, boolean first) {
        return CompletableFuture.supplyAsync(() -> {
            RecordHeaders headers = new RecordHeaders();
            trace.into(headers);
            byte[] followed = first ? null : chain.hash();
            EventChain.follow(headers, followed);
            ProducerRecord<String, Object> record = new ProducerRecord<>(topic, null, requestId, event, headers);
            CompletionStage<RecordMetadata> sent = Futures.send(producer, record, continuations);
            // the serializer stamped the record's own headers (a copy of ours) during send
            byte[] written = EventChain.hashOf(record.headers());
            if (first) {
                chain.restart(written);
            } else {
                chain.advanceFrom(followed, written);
            }
            return sent;
        }, sender).thenCompose(sent -> sent);
    }

    /** Sets aside a record the broker cannot read, raw, with where it came from and why ({@link DeadLetters}). */
    CompletionStage<RecordMetadata> deadLetter(String deadLetterTopic, RecordDeserializationException failure,
            String reason) {
        return CompletableFuture.supplyAsync(() -> Futures.send(producer, new ProducerRecord<String, Object>(
                deadLetterTopic, null, keyOf(failure), DeadLetters.bytes(failure.valueBuffer()),
                DeadLetters.headers(failure.headers(), Service.BROKER, failure.topicPartition().topic(),
                        failure.topicPartition().partition(), failure.offset(), reason)), continuations), sender)
                .thenCompose(sent -> sent);
    }

    private static String keyOf(RecordDeserializationException failure) {
        byte[] key = DeadLetters.bytes(failure.keyBuffer());
        return key == null ? null : new String(key, StandardCharsets.UTF_8); // request ids are UTF-8 strings
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        continuations.shutdown();
    }
}
