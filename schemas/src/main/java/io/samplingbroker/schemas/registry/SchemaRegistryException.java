package io.samplingbroker.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The registry answered, and said no: an unknown subject or id, an incompatible or invalid schema. Not retried.
 * {@link #status()} and {@link #errorCode()} are the registry's own (Confluent error codes such as 40403).
 */
public class SchemaRegistryException extends SerializationException {

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /** Confluent error codes the serde reacts to. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
}
