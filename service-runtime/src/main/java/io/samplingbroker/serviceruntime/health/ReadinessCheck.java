package io.samplingbroker.serviceruntime.health;

/** One thing a service's readiness depends on (Kafka reachable, Kafka Streams running, a reader alive). */
@FunctionalInterface
public interface ReadinessCheck {

    /** Null when this part is ready, else what is wrong, for the operator (no secrets, no payloads). */
    String problem();
}
