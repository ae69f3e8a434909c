package io.samplingbroker.serviceruntime.kafka;

/** Kafka or the schema registry could not be reached, or refused what a service needs to start (topics, schemas). */
public final class KafkaUnavailableException extends IllegalStateException {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
