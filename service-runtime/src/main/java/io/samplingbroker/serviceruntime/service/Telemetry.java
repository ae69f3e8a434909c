package io.samplingbroker.serviceruntime.service;

import java.util.Objects;
import java.util.function.Supplier;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.tracing.ServiceTracing;

/**
 * What a service reports of its work: its metrics (served on its management port) and its spans (exported when
 * tracing is set up). The service closes it when it stops, which exports the spans still buffered.
 */
public record Telemetry(ServiceMetrics metrics, ServiceTracing tracing) implements AutoCloseable {

    public Telemetry {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(tracing, "tracing");
    }

    /** Metrics of its own, no tracing: tests and embedded use. */
    public static Telemetry of(Service service) {
        return new Telemetry(ServiceMetrics.create(service), ServiceTracing.off());
    }

    /** Runs a service's start, which reports here; if it fails, this is closed (a started service closes it). */
    public <S> S closedIfFailed(Supplier<S> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        tracing.close();
        metrics.close();
    }
}
