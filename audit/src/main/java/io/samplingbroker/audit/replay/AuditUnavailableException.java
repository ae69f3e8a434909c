package io.samplingbroker.audit.replay;

/** Kafka or the registry cannot be reached, or a topic is missing: the command stops with one line and exit 2. */
public class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuditUnavailableException(String message) {
        super(message);
    }
}
