package io.samplingbroker.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.samplingbroker.approvalworker.ApprovalWorkerMain;
import io.samplingbroker.broker.BrokerMain;
import io.samplingbroker.embeddedinfra.ApicurioRegistryProcess;
import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.modelworker.ModelWorkerMain;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.testsupport.KafkaCluster;
import io.samplingbroker.testsupport.ServiceProcess;
import io.vertx.core.Vertx;

/**
 * The separate-process mode: Kafka (one node), Apicurio and every service instance each an OS process of its own, as
 * in production, configured through its environment like the fault suite's stack; this JVM holds only the load
 * generator (the upstream servers and the host sessions). {@code instances} brokers, approval-workers (one
 * application id) and model-workers (one group id); the host sessions are dealt over the brokers in turn.
 */
public final class ProcessStack implements BenchServices {

    static final String BROKER = "broker";
    static final String APPROVAL = "approval-worker";
    static final String MODELS = "model-worker";
    static final String KAFKA = "Kafka";
    static final String REGISTRY = "Apicurio";
    /**
     * The services' JVM flags: a production-like JVM (G1, the full JIT), not the fault suite's small test JVMs
     * (C1 only, serial GC), and the benchmark's logging, which keeps {@code io.samplingbroker} at WARN: the children
     * run on this JVM's class path, where test-support's {@code log4j2-test.xml} would win and log every request.
     */
    static final List<String> JVM_FLAGS = List.of("-Xmx512m", "-XX:+UseG1GC",
            "-Dlog4j2.configurationFile=" + BenchmarkMain.LOGGING);
    /** Kafka's node: the services' JVM, without their logging setting (the node logs through its own). */
    static final List<String> KAFKA_JVM_FLAGS = List.of("-Xmx512m", "-XX:+UseG1GC");
    /** Micrometer's Prometheus name of the dispatcher's gauge {@code sampling.pending.requests}. */
    static final String PENDING_GAUGE = "sampling_pending_requests";
    private static final Duration START = Duration.ofSeconds(180);

    private final int sessions;
    private final int instances;
    private final Path dir;
    private final KafkaCluster kafka;
    private final ApicurioRegistryProcess registry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<ServiceProcess> brokers = new ArrayList<>();
    /** The load generator's Vert.x and upstream servers, closed after the services. */
    private final List<AutoCloseable> servers = new ArrayList<>();
    /** The host sessions, closed before the services (a session ends with a DELETE to its broker). */
    private final List<AutoCloseable> hosts = new ArrayList<>();
    private final CpuMeter cpu = new ProcessCpuMeter(this::children);
    private KafkaSettings settings;
    private Duration deadline = Duration.ZERO;
    private McpUpstreamServer upstream;
    private SessionlessHost sessionlessHost;

    private ProcessStack(int sessions, int instances, Path dir, KafkaCluster kafka, ApicurioRegistryProcess registry) {
        this.sessions = sessions;
        this.instances = instances;
        this.dir = dir;
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts Kafka and the registry; the child logs go to a new temporary directory, whose path is printed. */
    public static ProcessStack start(int sessions, int instances) throws IOException {
        Path dir = Files.createTempDirectory("sampling-bench-processes-");
        System.out.printf("Separate processes: %d instance(s) of each service and one Kafka node, JVM flags %s;"
                + " child logs under %s%n", instances, String.join(" ", JVM_FLAGS), dir);
        KafkaCluster kafka = KafkaCluster.start(1, dir.resolve("kafka"), KAFKA_JVM_FLAGS);
        try {
            ApicurioRegistryProcess registry = new ApicurioRegistryProcess(new ApicurioRegistryProcess.Settings(0,
                    Optional.empty(), dir.resolve("registry.log"))).start();
            return new ProcessStack(sessions, instances, dir, kafka, registry);
        } catch (RuntimeException | Error e) {
            kafka.close();
            throw e;
        }
    }

    @Override
    public void startServices(String prefix, boolean withModelWorker, Duration samplingDeadline, Prompts prompts)
            throws Exception {
        settings = KafkaSettings.of(kafka.bootstrapServers(), registry.confluentApiUrl(),
                TopicsConfig.defaults().withPrefix(prefix));
        deadline = samplingDeadline;
        // what the admin command does before a deployment starts: the services only check the topics
        TopicProvisioning.provision(settings, settings.newRegistryClient(), null, Duration.ofSeconds(60));
        Vertx vertx = Vertx.vertx();
        servers.add(() -> vertx.close().await(10, TimeUnit.SECONDS));
        upstream = McpUpstreamServer.start(vertx);
        servers.add(upstream);
        SessionlessUpstreamServer current = SessionlessUpstreamServer.start(vertx, prompts);
        servers.add(current);
        Path logs = dir.resolve(prefix + "logs");
        Path policy = Files.writeString(Files.createDirectories(logs).resolve("policy.yaml"), BenchStack.APPROVE_ALL);
        Map<String, String> common = ProcessEnvironments.common(kafka.bootstrapServers(), registry.confluentApiUrl(),
                prefix);
        List<String> gateways = new ArrayList<>();
        for (int i = 1; i <= instances; i++) {
            launch(APPROVAL + "-" + i, ApprovalWorkerMain.class, ProcessEnvironments.approvalWorker(common, policy,
                    prefix + "approval", logs.resolve("approval-state-" + i)), logs);
            if (withModelWorker) {
                launch(MODELS + "-" + i, ModelWorkerMain.class, ProcessEnvironments.modelWorker(common,
                        prefix + "models"), logs);
            }
            int port = LoopbackPorts.freePort();
            brokers.add(launch(BROKER + "-" + i, BrokerMain.class, ProcessEnvironments.broker(common,
                    prefix + BROKER + "-" + i, port, samplingDeadline, upstream.url(), current.url()), logs));
            gateways.add("http://127.0.0.1:" + port + "/mcp/");
        }
        for (ServiceProcess service : services) {
            service.awaitReady(START); // all are starting already: waiting in turn takes as long as the slowest
        }
        for (int i = 0; i < sessions; i++) {
            McpHost host = new McpHost(vertx, gateways.get(Spread.brokerOf(i, instances)) + BenchStack.SERVER);
            hosts.add(host);
            host.connect();
        }
        upstream.awaitStreams(sessions, 30_000);
        sessionlessHost = new SessionlessHost(vertx, gateways.stream().map(g -> g + BenchStack.MRTR_SERVER).toList());
        hosts.add(sessionlessHost);
    }

    private ServiceProcess launch(String name, Class<?> main, Map<String, String> environment, Path logs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        ServiceProcess process = ServiceProcess.run(name, command, environment, logs);
        services.add(process);
        return process;
    }

    /** Ends the host sessions first (as the one-JVM stack does), then the services (SIGTERM), then the servers. */
    @Override
    public void stopServices() {
        closeAll(hosts);
        services.forEach(ServiceProcess::close);
        services.clear();
        brokers.clear();
        closeAll(servers);
        upstream = null;
        sessionlessHost = null;
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

    /** The sum of every broker's {@value #PENDING_GAUGE}; a broker that does not answer counts as holding none. */
    @Override
    public int pendingCount() {
        double pending = 0;
        for (ServiceProcess broker : brokers) {
            try {
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + broker.managementPort() + "/metrics")).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                pending += PrometheusText.sum(metrics.body(), PENDING_GAUGE).orElse(0);
            } catch (IOException e) {
                System.err.println("Reading " + broker.name() + "'s metrics failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return (int) pending;
    }

    @Override
    public Duration deadline() {
        return deadline;
    }

    @Override
    public List<Child> children() {
        List<Child> children = new ArrayList<>();
        for (ServiceProcess service : services) {
            String name = service.name();
            service.pid().ifPresent(pid -> children.add(new Child(name.substring(0, name.lastIndexOf('-')), name, pid)));
        }
        kafka.pid(0).ifPresent(pid -> children.add(new Child(KAFKA, "kafka", pid)));
        registry.pid().flatMap(Child::guarded).ifPresent(pid -> children.add(new Child(REGISTRY, "Apicurio", pid)));
        return children;
    }

    @Override
    public CpuMeter cpuMeter() {
        return cpu;
    }

    @Override
    public long spansExported() {
        return 0; // -tracing is refused with -processes: its span receiver would have to be reachable by every child
    }

    @Override
    public void close() {
        try {
            stopServices();
        } finally {
            try {
                registry.close();
            } finally {
                kafka.close();
            }
        }
    }

    /** Closes newest first, whatever fails, and forgets them. */
    private static void closeAll(List<AutoCloseable> closeables) {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                System.err.println("Stopping " + closeables.get(i).getClass().getSimpleName() + " failed: " + e);
            }
        }
        closeables.clear();
    }
}
