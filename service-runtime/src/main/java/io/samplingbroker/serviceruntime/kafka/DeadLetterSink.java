package io.samplingbroker.serviceruntime.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.samplingbroker.schemas.registry.DeserializationFailure;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.Futures;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;

/**
 * Sets aside, on the dead-letters topic ({@link DeadLetters}), the records a reader of a service could not decode,
 * for the readers that have no producer of their own to do it with (the compacted-topic readers of the broker and
 * the review console). Its producer is created on the first dead letter: most runs never need one.
 */
public final class DeadLetterSink implements AutoCloseable {

    private final KafkaSettings kafka;
    private final Service service;
    private final String topic;
    private final DeadLetterMeter meter;
    private Producer<byte[], byte[]> producer;
    private boolean closed;

    private DeadLetterSink(KafkaSettings kafka, Service service, DeadLetterMeter meter) {
        this.kafka = kafka;
        this.meter = meter;
        this.service = service;
        this.topic = kafka.samplingTopics().deadLetters().name();
    }

    /** @param meter counts what it sets aside */
    public static DeadLetterSink of(KafkaSettings kafka, Service service, DeadLetterMeter meter) {
        return new DeadLetterSink(kafka, service, meter);
    }

    /** Writes the unreadable record's raw key and value, its headers, where it was and why it was set aside. */
    public synchronized CompletionStage<RecordMetadata> setAside(RecordDeserializationException failure) {
        if (closed) {
            throw new IllegalStateException("The dead-letter sink of " + service.id() + " is closed");
        }
        if (producer == null) {
            Map<String, Object> config = KafkaClients.producer(kafka, service, "dead-letters");
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
        String reason = DeserializationFailure.of(failure).describe();
        meter.setAside(failure.topicPartition().topic(), failure.getCause());
        return Futures.send(producer, new ProducerRecord<>(topic, null, DeadLetters.bytes(failure.keyBuffer()),
                DeadLetters.bytes(failure.valueBuffer()), DeadLetters.headers(failure.headers(), service,
                        failure.topicPartition().topic(), failure.topicPartition().partition(), failure.offset(),
                        reason)), Runnable::run);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
