package io.samplingbroker.approvalworker;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.kafka.DeadLetters;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;

/**
 * A record that cannot be read goes to the dead-letter topic (with the headers every service uses,
 * {@link DeadLetters}) and processing goes on, so one bad record does not stop every decision. Except when the
 * schema registry is unreachable: that record is fine and must not be lost, so the stream thread fails, is
 * replaced, and reads it again from the last commit.
 *
 * <p>The global store of concluded requests (fed by {@code lifecycle}) is the exception: Kafka Streams cannot write a
 * dead letter from its global thread (it fails with a {@code ClassCastException} and the application stops, found by
 * {@code PoisonRecordsIT}), so there the record is only skipped; the review application, which reads the same
 * topic as a stream, sets it aside.
 */
public final class DeadLetterUnlessRegistryDown implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterUnlessRegistryDown.class);

    /** The setting that carries the worker's {@link DeadLetterMeter} (an object, not text). */
    static final String METER_CONFIG = "sampling.dead-letters.meter";

    private String deadLetterTopic;
    private DeadLetterMeter meter;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(METER_CONFIG) instanceof DeadLetterMeter given)) {
            throw new ConfigException(METER_CONFIG + " must carry the approval-worker's dead-letter meter");
        }
        meter = given;
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " must name the dead-letter topic");
        }
        deadLetterTopic = topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException) {
                LOG.warn("Cannot read {}-{}@{} while the schema registry is unreachable; will retry it: {}",
                        record.topic(), record.partition(), record.offset(), cause.getMessage());
                return Response.fail();
            }
        }
        String reason = exception.getMessage() == null ? exception.getClass().getName() : exception.getMessage();
        if (context.taskId() != null && context.taskId().subtopology() < 0) { // the global task is -1_-1
            LOG.warn("Unreadable record {}-{}@{} skipped by the global store (the review application sets it aside): {}",
                    record.topic(), record.partition(), record.offset(), reason);
            return Response.resume();
        }
        LOG.warn("Unreadable record {}-{}@{} ({} bytes) goes to {}: {}", record.topic(), record.partition(),
                record.offset(), record.value() == null ? 0 : record.value().length, deadLetterTopic, reason);
        meter.setAside(record.topic(), exception);
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(),
                DeadLetters.headers(record.headers(), Service.APPROVAL_WORKER, record.topic(), record.partition(),
                        record.offset(), reason))));
    }
}
