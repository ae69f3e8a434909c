package io.samplingbroker.schemas.registry;

import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * A record that could not be deserialized, described with everything needed to find it again: topic, partition,
 * offset, key or value, and the reason. Consumers log it, dead-letter the raw bytes, and seek past it.
 */
public record DeserializationFailure(String topic, int partition, long offset, String part, String reason) {

    public static DeserializationFailure of(RecordDeserializationException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new DeserializationFailure(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(),
                e.origin().name().toLowerCase(java.util.Locale.ROOT), cause.getMessage());
    }

    /** One line naming the record and the reason. */
    public String describe() {
        return "Cannot deserialize the " + part + " of the record at topic '" + topic + "' partition " + partition
                + " offset " + offset + ": " + reason;
    }
}
