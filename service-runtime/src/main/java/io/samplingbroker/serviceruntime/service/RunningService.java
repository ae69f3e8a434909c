package io.samplingbroker.serviceruntime.service;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.samplingbroker.serviceruntime.health.ReadinessCheck;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/** A started service, as {@link ServiceRunner} sees it: it can fail while running, and it can be stopped. */
public interface RunningService extends AutoCloseable {

    /**
     * Completes with the cause once a part the service cannot work without has died (a reader thread, a Kafka
     * Streams application, a poll loop); never completes while the service is healthy or after a clean close.
     */
    CompletionStage<VitalPartFailure> failed();

    /**
     * What the service's readiness depends on besides its vital parts ({@code /health/ready}), by name: Kafka and the
     * registry reachable, partitions assigned, Kafka Streams running. None by default.
     */
    default Map<String, ReadinessCheck> readiness() {
        return Map.of();
    }

    /** What the service records, served on its management port ({@code /metrics}). */
    ServiceMetrics metrics();

    /**
     * A stop was requested (SIGTERM): stop taking new work and let what is under way finish, within the service's own
     * drain timeout; {@link #close()} follows. Blocking. Nothing by default: a service whose {@code close()} already
     * finishes its work (a worker committing what it processed) needs no separate step.
     */
    default void drain() {
    }

    /** Stops the service cleanly; idempotent. */
    @Override
    void close();
}
