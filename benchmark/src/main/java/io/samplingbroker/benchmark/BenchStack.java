package io.samplingbroker.benchmark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;


import io.samplingbroker.approvalworker.ApprovalWorkerConfig;
import io.samplingbroker.broker.Broker;
import io.samplingbroker.broker.BrokerConfig;
import io.samplingbroker.broker.GatewayLimits;
import io.samplingbroker.broker.GatewaySettings;
import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.devstack.ServiceStack;
import io.samplingbroker.embeddedinfra.ApicurioRegistryProcess;
import io.samplingbroker.embeddedinfra.EmbeddedKafkaBroker;
import io.samplingbroker.modelworker.ModelWorkerConfig;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;
import io.samplingbroker.testsupport.OtlpReceiver;
import io.vertx.core.Vertx;

/**
 * Everything of one benchmark run in this JVM, except Apicurio (a child process): real Kafka, the topics, the
 * approval-worker (approve all), optionally the model-worker (offline model), the broker in front of the
 * benchmark's own upstream server, and the host sessions. Closes in reverse order, whatever failed.
 */
public final class BenchStack implements AutoCloseable {

    static final String SERVER = "bench";
    /** The 2026-07-28 server of the MRTR step. */
    static final String MRTR_SERVER = "bench-mrtr";
    static final String APPROVE_ALL = "defaultAction:\n  action: approve\n";

    private final List<AutoCloseable> started = new ArrayList<>();
    private ApicurioRegistryProcess registry;
    private EmbeddedKafkaBroker kafka;
    private KafkaSettings settings;
    private Broker broker;
    private McpUpstreamServer upstream;
    private SessionlessHost sessionlessHost;
    private Vertx vertx;
    private Map<String, String> approvalStreamsSettings = Map.of();
    private TracingSettings tracing = TracingSettings.off();
    private OtlpReceiver spans;
    private int sessions = 1;

    /** Extra Kafka Streams settings for the approval-worker (an experiment; the service's defaults otherwise). */
    public BenchStack withApprovalStreamsSettings(Map<String, String> settings) {
        this.approvalStreamsSettings = Map.copyOf(settings);
        return this;
    }

    /**
     * Every service exports its spans over OTLP to a receiver in this JVM that decodes and counts them (what tracing
     * costs the request path, against the same run without it).
     */
    public BenchStack withTracing() {
        spans = OtlpReceiver.counting(); // kept across scenarios like Kafka, closed last
        tracing = TracingSettings.otlp(URI.create(spans.tracesUrl()));
        return this;
    }

    /** How many host sessions the load is spread over (each a session of the broker's and one upstream). */
    public BenchStack withSessions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("sessions must be at least 1, got " + count);
        }
        this.sessions = count;
        return this;
    }

    public int sessions() {
        return sessions;
    }

    /** Spans the services exported so far; 0 without {@link #withTracing()}. */
    public long spansExported() {
        return spans == null ? 0 : spans.spanCount();
    }

    /** Real Kafka and a real registry, shared by every scenario of the run. */
    public BenchStack startInfrastructure() {
        registry = remember(new ApicurioRegistryProcess(ApicurioRegistryProcess.Settings.ephemeral()).start());
        kafka = remember(new EmbeddedKafkaBroker(EmbeddedKafkaBroker.Settings.ephemeral()).start());
        return this;
    }

    /**
     * The services under {@code prefix} (fresh topics), the upstream server and the connected host sessions.
     *
     * @param withModelWorker false leaves approved requests unanswered (the pending scenario)
     */
    public BenchStack startServices(String prefix, boolean withModelWorker, Duration deadline, Prompts prompts)
            throws Exception {
        TopicsConfig topics = TopicsConfig.defaults().withPrefix(prefix);
        settings = KafkaSettings.of(kafka.bootstrapServers(), registry.confluentApiUrl(), topics);
        Path dir = Files.createTempDirectory("sampling-bench-");
        remember(() -> deleteTree(dir)); // closed after the approval-worker that writes its state there
        Path policy = Files.writeString(dir.resolve("policy.yaml"), APPROVE_ALL);
        vertx = Vertx.vertx();
        remember(() -> vertx.close().await(10, TimeUnit.SECONDS));
        upstream = remember(McpUpstreamServer.start(vertx));
        SessionlessUpstreamServer current = remember(SessionlessUpstreamServer.start(vertx, prompts));
        ServiceStack.Builder services = ServiceStack.on(settings).tracing(tracing)
                .approvalWorker(ApprovalWorkerConfig.of(settings, policy.toString())
                        .withApplicationId(prefix + "approval")
                        .withStreamsSettings(Map.of("state.dir", dir.resolve("streams").toString()))
                        .withStreamsSettings(approvalStreamsSettings))
                // a stress rig: the load comes from one host, so the per-host limits are off
                .broker(new BrokerConfig(settings, prefix + "broker", "127.0.0.1", 0, SamplingLimits.of(deadline)
                        .withPending(Integer.MAX_VALUE, Integer.MAX_VALUE),
                        Duration.ofMinutes(30),
                        Map.of(SERVER, new UpstreamSpec.Http(SERVER, URI.create(upstream.url()), Map.of(),
                                        UpstreamSpec.Protocol.SESSION),
                                MRTR_SERVER, new UpstreamSpec.Http(MRTR_SERVER, URI.create(current.url()), Map.of(),
                                        UpstreamSpec.Protocol.SESSIONLESS)),
                        GatewaySettings.loopback().withLimits(GatewayLimits.unlimited())));
        if (withModelWorker) {
            services.modelWorker(ModelWorkerConfig.defaults(settings).withGroupId(prefix + "models"));
        }
        broker = remember(services.start()).broker();
        for (int i = 0; i < sessions; i++) {
            remember(new McpHost(vertx, broker.mcpUrl(SERVER))).connect();
        }
        upstream.awaitStreams(sessions, 30_000);
        sessionlessHost = remember(new SessionlessHost(vertx, broker.mcpUrl(MRTR_SERVER)));
        return this;
    }

    /** Stops the services (keeps Kafka and the registry for the next scenario). */
    public void stopServices() {
        while (started.size() > 2) {
            closeQuietly(started.remove(started.size() - 1));
        }
        broker = null;
        upstream = null;
        sessionlessHost = null;
    }

    private <T extends AutoCloseable> T remember(T service) {
        started.add(service);
        return service;
    }

    public Broker broker() {
        return broker;
    }

    public McpUpstreamServer upstream() {
        return upstream;
    }

    /** The 2026-07-28 host that calls the MRTR step's server through the broker. */
    public SessionlessHost sessionlessHost() {
        return sessionlessHost;
    }

    public KafkaSettings settings() {
        return settings;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Optional<Long> registryPid() {
        return registry.pid();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            closeQuietly(started.get(i));
        }
        started.clear();
        if (spans != null) {
            spans.close();
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void closeQuietly(AutoCloseable service) {
        try {
            service.close();
        } catch (Exception e) {
            System.err.println("Stopping " + service.getClass().getSimpleName() + " failed: " + e);
        }
    }
}
