package io.samplingbroker.serviceruntime.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.samplingbroker.schemas.topics.Service;

/**
 * One service's metrics: a Prometheus registry labelled with the service, the JVM's and the process's meters, the
 * Kafka clients the service binds, and what the service records itself. Served on the management port
 * ({@code /metrics}). Services in one JVM (the dev stack) each have their own.
 */
public final class ServiceMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

    /** The one latency metric of the data path: each service times the stage it ends ({@code stage} label). */
    public static final String STAGE_DURATION = "sampling.stage.duration";
    /** Bucket bounds of every latency histogram: 5 ms to 5 min, the range a sampling request lives in. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)};

    public static final int DEFAULT_LABEL_VALUES_MAX = 100;

    private final PrometheusMeterRegistry registry;
    private final BoundedLabels labels;
    private final List<AutoCloseable> bound = new ArrayList<>();

    private ServiceMetrics(PrometheusMeterRegistry registry, BoundedLabels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    /** @param labelValuesMax how many values each open label ({@link SamplingLabels}) takes before {@code other} */
    public static ServiceMetrics create(Service service, int labelValuesMax) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service.id());
        ServiceMetrics metrics = new ServiceMetrics(registry, new BoundedLabels(SamplingLabels.OPEN, labelValuesMax));
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())) {
            binder.bindTo(registry);
        }
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        metrics.bound.add(gc);
        return metrics;
    }

    /** With the default cap (100 values per open label): services started outside a service runner, and tests. */
    public static ServiceMetrics create(Service service) {
        return create(service, DEFAULT_LABEL_VALUES_MAX);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus exposition (text, or OpenMetrics when {@code accept} asks for it). */
    public String scrape(String accept) {
        return registry.scrape(accept == null ? "text/plain" : accept);
    }

    /** The content type {@link #scrape} answers {@code accept} with. */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    /**
     * A counter with its help text (what a scrape's {@code # HELP} line says); open labels bounded. The services
     * record through this, {@link #latency} and {@link #stage}, never the registry's own builders, so no label
     * grows past its cap.
     */
    public Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(labels.bound(tags)).register(registry);
    }

    /** A latency histogram with the shared buckets; open labels bounded. */
    public Timer latency(String name, String description, Tags tags) {
        return Timer.builder(name).description(description).tags(labels.bound(tags)).serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** The time a request spent in {@code stage}, measured by the service that ends it. */
    public Timer stage(String stage, Tags tags) {
        return latency(STAGE_DURATION, "Time a sampling request spent in one stage of the data path",
                tags.and("stage", stage));
    }

    /** The client's own metrics (lag, rates, errors), labelled with its client id, until it closes. */
    public void bind(Consumer<?, ?> consumer) {
        bindKafka(new KafkaClientMetrics(consumer));
    }

    public void bind(Producer<?, ?> producer) {
        bindKafka(new KafkaClientMetrics(producer));
    }

    /** A binder that holds on to what it measures (Kafka Streams' metrics), closed with the service's metrics. */
    public <B extends MeterBinder & AutoCloseable> void bindKafka(B binder) {
        binder.bindTo(registry);
        synchronized (bound) {
            bound.add(binder);
        }
    }

    @Override
    public void close() {
        synchronized (bound) {
            for (AutoCloseable binder : bound) {
                try {
                    binder.close();
                } catch (Exception e) {
                    LOG.debug("Closing a metrics binder failed: {}", e.toString());
                }
            }
            bound.clear();
        }
        registry.close();
    }
}
