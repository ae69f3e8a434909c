package io.samplingbroker.serviceruntime.tracing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.samplingbroker.schemas.topics.Service;

/**
 * A service's tracer: spans of the requests it handles, exported over OTLP when {@link TracingSettings} name a
 * collector, and nowhere otherwise (the tracer is then OpenTelemetry's no-op one, which still carries a parent's
 * context from Kafka headers to Kafka headers, so a trace crosses a service that does not export). Spans name ids,
 * sizes, decisions and codes, never a prompt or a completion.
 */
public final class ServiceTracing implements AutoCloseable {

    private static final String INSTRUMENTATION = "io.samplingbroker";
    /** Spans leave a second after they end: a trace is complete at the collector while its request is fresh. */
    private static final Duration EXPORT_DELAY = Duration.ofSeconds(1);

    private final Tracer tracer;
    private final SdkTracerProvider provider;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServiceTracing(Tracer tracer, SdkTracerProvider provider) {
        this.tracer = tracer;
        this.provider = provider;
    }

    /** Traces nothing. */
    public static ServiceTracing off() {
        return new ServiceTracing(OpenTelemetry.noop().getTracer(INSTRUMENTATION), null);
    }

    /** As {@code settings} say: off, or exporting to their OTLP endpoint in batches. */
    public static ServiceTracing start(Service service, TracingSettings settings) {
        if (!settings.enabled()) {
            return off();
        }
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.otlpEndpoint().toString());
        settings.otlpHeaders().forEach(exporter::addHeader);
        return withProcessor(service, settings.sampleRatio(), BatchSpanProcessor.builder(exporter.build())
                .setScheduleDelay(EXPORT_DELAY).build());
    }

    /** Every span handed to {@code exporter} as it ends (tests, with an in-memory exporter). */
    public static ServiceTracing exportingTo(Service service, SpanExporter exporter) {
        return withProcessor(service, 1, SimpleSpanProcessor.create(exporter));
    }

    private static ServiceTracing withProcessor(Service service, double sampleRatio, SpanProcessor processor) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), service.id(),
                AttributeKey.stringKey("service.namespace"), "sampling-broker")));
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)))
                .addSpanProcessor(processor).build();
        return new ServiceTracing(provider.get(INSTRUMENTATION), provider);
    }

    public Tracer tracer() {
        return tracer;
    }

    /** Whether spans leave this service. */
    public boolean exporting() {
        return provider != null;
    }

    /** Exports what is still buffered (at most 10 s), then stops; once. */
    @Override
    public void close() {
        if (provider != null && closed.compareAndSet(false, true)) {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
