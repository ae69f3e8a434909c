package io.samplingbroker.serviceruntime.metrics;

import java.io.IOException;

import org.apache.avro.AvroRuntimeException;

import io.micrometer.core.instrument.Tags;
import io.samplingbroker.schemas.registry.SchemaRegistryException;
import io.samplingbroker.schemas.registry.WireFormatException;
import io.samplingbroker.schemas.topics.EventChain;

/**
 * Counts the records a service sets aside on the dead-letters topic, by source topic and kind of reason
 * ({@code sampling_dead_letters_total}): the dead letter itself keeps the full reason, the metric only what an alert
 * needs, with a bounded set of values.
 */
public final class DeadLetterMeter {

    static final String NAME = "sampling.dead.letters";

    private final ServiceMetrics metrics;

    public DeadLetterMeter(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    /** A record of {@code sourceTopic} was set aside because of {@code cause} (null: it was read, but is invalid). */
    public void setAside(String sourceTopic, Throwable cause) {
        metrics.counter(NAME, "Records set aside on the dead-letters topic, by source topic and kind of reason",
                Tags.of("topic", sourceTopic, "reason", kindOf(cause))).increment();
    }

    /** unknown_producer, wire_format, schema, undecodable, invalid or unreadable. */
    static String kindOf(Throwable failure) {
        if (failure == null) {
            return "invalid";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EventChain.UnchainedRecordException) {
                return "unknown_producer";
            }
            if (cause instanceof WireFormatException) {
                return "wire_format";
            }
            if (cause instanceof SchemaRegistryException) {
                return "schema";
            }
            if (cause instanceof AvroRuntimeException || cause instanceof IOException) {
                return "undecodable";
            }
        }
        return "unreadable";
    }
}
