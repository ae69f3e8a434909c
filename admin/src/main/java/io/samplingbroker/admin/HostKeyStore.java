package io.samplingbroker.admin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.samplingbroker.events.HostKey;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.EventSerializer;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.CompactedTopicReader;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import io.samplingbroker.serviceruntime.kafka.KafkaUnavailableException;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.serviceruntime.service.FailureSignal;

/** The host-keys topic as the admin command sees it: every key's latest record, and a write acknowledged by Kafka. */
final class HostKeyStore implements AutoCloseable {

    private final KafkaSettings kafka;
    private final Duration timeout;
    private final SchemaRegistryClient registry;
    private final TopicSpec<HostKey> topic;
    private KafkaProducer<String, Object> producer;

    private HostKeyStore(KafkaSettings kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.registry = kafka.newRegistryClient();
        this.topic = kafka.samplingTopics().hostKeys();
    }

    /** Creates the topic if it is missing and registers its schema; blocks at most {@code timeout}. */
    static HostKeyStore open(KafkaSettings kafka, Duration timeout) {
        TopicProvisioning.prepare(kafka, Service.ADMIN, kafka.newRegistryClient(), timeout);
        return new HostKeyStore(kafka, timeout);
    }

    /** Every key by id, as the topic holds them now. */
    Map<String, HostKey> readAll() {
        Map<String, HostKey> keys = new ConcurrentHashMap<>();
        FailureSignal failures = new FailureSignal("sampling-admin");
        try (CompactedTopicReader<HostKey> reader = new CompactedTopicReader<>(kafka, Service.ADMIN, "keys-reader",
                topic, registry, (id, key) -> {
                    if (key == null) {
                        keys.remove(id);
                    } else {
                        keys.put(id, key);
                    }
                }, failures, unreadable -> { })) { // an operator's listing: the reader's warning names the record
            reader.start().caughtUp().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Cannot read " + topic.name() + " within " + timeout.toSeconds()
                    + " s: is Kafka reachable at " + kafka.bootstrapServers() + "?", e);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Cannot read " + topic.name() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while reading " + topic.name(), e);
        }
        return keys;
    }

    /** Writes a key's new state and waits until Kafka has it. */
    void write(HostKey key) {
        try {
            producer().send(new ProducerRecord<>(topic.name(), key.getKeyId(), key))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not take the key within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Kafka refused the key: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while writing the key", e);
        }
    }

    private KafkaProducer<String, Object> producer() {
        if (producer == null) {
            Map<String, Object> config = KafkaClients.producer(kafka, Service.ADMIN, "keys");
            producer = new KafkaProducer<>(config, new StringSerializer(),
                    EventSerializer.of(Service.ADMIN, kafka.samplingTopics(), config, registry));
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
