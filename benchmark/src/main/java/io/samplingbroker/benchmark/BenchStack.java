package io.samplingbroker.benchmark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
public final class BenchStack implements BenchServices {

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
    private final CpuMeter cpu = new ThreadCpuMeter();

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
    @Override
    public long spansExported() {
        return spans == null ? 0 : spans.spanCount();
    }

    /** Real Kafka and a real registry, shared by every scenario of the run. */
    public BenchStack startInfrastructure() {
        registry = remember(new ApicurioRegistryProcess(ApicurioRegistryProcess.Settings.ephemeral()).start());
        kafka = remember(new EmbeddedKafkaBroker(EmbeddedKafkaBroker.Settings.ephemeral()).start());
        return this;
    }

    @Override
    public void startServices(String prefix, boolean withModelWorker, Duration deadline, Prompts prompts)
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
        sessionlessHost = remember(new SessionlessHost(vertx, List.of(broker.mcpUrl(MRTR_SERVER))));
    }

    @Override
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

    @Override
    public McpUpstreamServer upstream() {
        return upstream;
    }

    @Override
    public SessionlessHost sessionlessHost() {
        return sessionlessHost;
    }

    @Override
    public KafkaSettings settings() {
        return settings;
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public int pendingCount() {
        return broker.dispatcher().pendingCount();
    }

    @Override
    public Duration deadline() {
        return broker.dispatcher().limits().deadline();
    }

    /** Apicurio alone: everything else runs in this JVM. */
    @Override
    public List<Child> children() {
        return registry.pid().flatMap(Child::guarded).map(pid -> List.of(new Child(ProcessStack.REGISTRY, "Apicurio",
                pid))).orElse(List.of());
    }

    @Override
    public CpuMeter cpuMeter() {
        return cpu;
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
