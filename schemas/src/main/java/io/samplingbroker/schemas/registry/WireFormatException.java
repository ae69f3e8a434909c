package io.samplingbroker.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/** The bytes of a record are not in the Confluent wire format, or their Avro body does not decode. */
public class WireFormatException extends SerializationException {

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
