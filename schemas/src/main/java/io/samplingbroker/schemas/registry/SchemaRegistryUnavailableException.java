package io.samplingbroker.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The registry could not be reached (connection refused, timeouts, 5xx) for the whole retry budget. The record
 * was not written or not read: the caller sees this exception, nothing is dropped silently.
 */
public class SchemaRegistryUnavailableException extends SerializationException {

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
