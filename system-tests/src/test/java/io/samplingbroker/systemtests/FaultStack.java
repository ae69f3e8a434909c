package io.samplingbroker.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.samplingbroker.approvalworker.ApprovalWorkerMain;
import io.samplingbroker.broker.BrokerMain;
import io.samplingbroker.embeddedinfra.ApicurioRegistryProcess;
import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.modelworker.ModelWorkerMain;
import io.samplingbroker.reviewconsole.PasswordHashing;
import io.samplingbroker.reviewconsole.ReviewConsoleMain;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.testsupport.ChatCompletionsServer;
import io.samplingbroker.testsupport.FaultLoad;
import io.samplingbroker.testsupport.KafkaCluster;
import io.samplingbroker.testsupport.McpHostSession;
import io.samplingbroker.testsupport.SamplingLoadServer;
import io.samplingbroker.testsupport.ServiceProcess;
import io.samplingbroker.testsupport.SessionlessLoadHost;
import io.samplingbroker.testsupport.SessionlessLoadServer;

/**
 * The sampling flow as it runs in production, every part its own OS process: a 3-node Kafka cluster (every partition
 * on 3 nodes, writes need 2), the registry on H2 files (a restarted registry keeps its schema ids), 2 brokers,
 * 2 approval-workers, 2 model-workers and a review console, each started from the built classes and configured only
 * through its environment; a provider fake answering in 50-500 ms; the load of both protocol eras: a 2025-11-25
 * server asking for sampling on host sessions spread over both gateways, and 2026-07-28 hosts whose tool calls need
 * sampling, spread over both gateways the way a load balancer would. The fault suite kills and restarts its parts.
 */
final class FaultStack implements AutoCloseable {

    static final String SERVER = "load";
    static final String SESSIONLESS_SERVER = "load2026";
    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(180);
    private static final String PREFIX = "faults.";

    final FaultLoad load = new FaultLoad();
    final SamplingLoadServer upstream = SamplingLoadServer.start(load::onAnswer);
    final SessionlessLoadServer sessionlessUpstream = SessionlessLoadServer.start();
    final ChatCompletionsServer provider = ChatCompletionsServer.start()
            .latency(Duration.ofMillis(50), Duration.ofMillis(500));
    private final Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, String> mains = new HashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> gatewayPorts = new HashMap<>();
    private final List<McpHostSession> hosts = new ArrayList<>();
    KafkaCluster kafka;
    ApicurioRegistryProcess registry;
    KafkaSettings settings;

    SessionlessLoadHost sessionlessHost;

    private FaultStack(Path dir) {
        this.dir = dir;
        toClose.add(upstream);
        toClose.add(sessionlessUpstream);
        toClose.add(provider);
    }

    /**
     * Starts everything, opens {@code sessionsPerGateway} host sessions on each broker, and readies the 2026-07-28
     * hosts, whose calls wait up to {@code patience}.
     */
    static FaultStack start(Path dir, int sessionsPerGateway, Duration patience) throws Exception {
        FaultStack stack = new FaultStack(dir);
        try {
            stack.startInfrastructure();
            stack.startServices();
            stack.sessionlessHost = new SessionlessLoadHost(List.of(stack.gatewayUrl("broker-1", SESSIONLESS_SERVER),
                    stack.gatewayUrl("broker-2", SESSIONLESS_SERVER)), patience, stack.load::onAnswer);
            stack.toClose.add(stack.sessionlessHost);
            for (int i = 1; i <= 2; i++) {
                for (int s = 0; s < sessionsPerGateway; s++) {
                    stack.openSession("broker-" + i);
                }
            }
            stack.awaitStreams(2 * sessionsPerGateway);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startInfrastructure() throws Exception {
        kafka = KafkaCluster.start(3, dir.resolve("kafka"));
        toClose.add(kafka);
        registry = new ApicurioRegistryProcess(new ApicurioRegistryProcess.Settings(0,
                Optional.of(dir.resolve("registry")), dir.resolve("logs").resolve("registry.log"))).start();
        toClose.add(registry);
        settings = KafkaSettings.of(kafka.bootstrapServers(), registry.confluentApiUrl(),
                new TopicsConfig(PREFIX, 6, (short) 3, -1, Map.of()));
        TopicProvisioning.provision(settings, settings.newRegistryClient(), null, Duration.ofSeconds(60));
    }

    private void startServices() throws Exception {
        Map<String, String> common = Map.of("SAMPLING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SAMPLING_SCHEMA_REGISTRY_URL", registry.confluentApiUrl(), "SAMPLING_TOPICS_PREFIX", PREFIX,
                "SAMPLING_TOPICS_PARTITIONS", "6", "SAMPLING_TOPICS_REPLICATION_FACTOR", "3");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), SamplingStack.APPROVE_ALL);
        Path models = Files.writeString(dir.resolve("models.yaml"), "defaultModel: fake-gpt\n"
                + "providers:\n  local:\n    type: openai-compatible\n    baseUrl: " + provider.baseUrl() + "\n"
                + "    timeoutMs: 20000\n    maxRetries: 1\n"
                + "models:\n  - name: fake-gpt\n    provider: local\n    providerModel: gpt-4o-mini\n");
        Map<String, String> servers = Map.of(
                "SAMPLING_SERVERS_" + SERVER.toUpperCase() + "_URL", upstream.url(),
                "SAMPLING_SERVERS_" + SERVER.toUpperCase() + "_PROTOCOL", "2025-11-25",
                "SAMPLING_SERVERS_" + SESSIONLESS_SERVER.toUpperCase() + "_URL", sessionlessUpstream.url(),
                "SAMPLING_SERVERS_" + SESSIONLESS_SERVER.toUpperCase() + "_PROTOCOL", "2026-07-28");
        for (int i = 1; i <= 2; i++) {
            define("approval-worker-" + i, ApprovalWorkerMain.class.getName(), common, Map.of(
                    "SAMPLING_POLICY_FILE", policy.toString(), "SAMPLING_APPLICATION_ID", "faults-approval",
                    "SAMPLING_KAFKA_STREAMS_STATE_DIR", dir.resolve("approval-" + i).toString()));
            define("model-worker-" + i, ModelWorkerMain.class.getName(), common, Map.of(
                    "SAMPLING_MODELS_FILE", models.toString(), "SAMPLING_GROUP_ID", "faults-models"));
            gatewayPorts.put("broker-" + i, LoopbackPorts.freePort());
            Map<String, String> broker = new HashMap<>(servers);
            broker.putAll(Map.of("SAMPLING_BROKER_INSTANCE_ID", "broker-" + i,
                    "SAMPLING_BROKER_HTTP_PORT", gatewayPorts.get("broker-" + i).toString(),
                    "SAMPLING_BROKER_AUTH_MODE", "none",
                    "SAMPLING_BROKER_SAMPLING_DEADLINE_MS", Long.toString(DEADLINE.toMillis()),
                    "SAMPLING_BROKER_SAMPLING_PENDING_PER_SESSION", "1000",
                    "SAMPLING_BROKER_SAMPLING_PENDING_PER_HOST", "4000",
                    // one 2026 host makes every call: during an outage more than the default 64 are in flight
                    "SAMPLING_BROKER_LIMITS_CALLS_PER_HOST", "4000"));
            define("broker-" + i, BrokerMain.class.getName(), common, broker);
        }
        define("review-console", ReviewConsoleMain.class.getName(), common, Map.of("SAMPLING_REVIEW_CONSOLE_PORT", "0",
                "SAMPLING_REVIEW_REVIEWERS_ALICE", PasswordHashing.hash("fault-suite-reviewer".toCharArray())));
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (String name : environments.keySet()) {
            ServiceProcess process = launch(name);
            ready.add(CompletableFuture.runAsync(() -> process.awaitReady(START)));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    }

    private void define(String name, String mainClass, Map<String, String> common, Map<String, String> own) {
        Map<String, String> environment = new HashMap<>(common);
        environment.putAll(own);
        environments.put(name, environment);
        mains.put(name, mainClass);
    }

    private ServiceProcess launch(String name) {
        ServiceProcess process = ServiceProcess.start(name, mains.get(name), environments.get(name),
                dir.resolve("logs"));
        services.put(name, process);
        return process;
    }

    ServiceProcess service(String name) {
        ServiceProcess process = services.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no service " + name + "; there are " + services.keySet());
        }
        return process;
    }

    /** Starts {@code name} again (after a kill or a stop) and waits until it is ready. */
    void restart(String name) {
        ServiceProcess old = service(name);
        if (old.alive()) {
            throw new IllegalStateException(name + " is still running");
        }
        old.close();
        launch(name).awaitReady(START);
    }

    /**
     * Starts broker {@code broker} again after it died or stopped, with its sessions gone with it, and opens
     * {@code sessions} new host sessions on it, as its hosts reconnect.
     */
    void restartBroker(String broker, int sessions) throws Exception {
        // the server notices a dead broker's streams only when it next writes to them: count the new ones
        int before = upstream.streamsOpened();
        restart(broker);
        for (int i = 0; i < sessions; i++) {
            openSession(broker);
        }
        awaitStreams(before + sessions);
    }

    /** Opens one more host session on broker {@code broker}'s gateway. */
    void openSession(String broker) throws Exception {
        McpHostSession session = McpHostSession.open(gatewayUrl(broker, SERVER), "fault-host-" + (hosts.size() + 1));
        hosts.add(session);
    }

    private String gatewayUrl(String broker, String server) {
        return "http://127.0.0.1:" + gatewayPorts.get(broker) + "/mcp/" + server;
    }

    /** Whether the session (or 2026-07-28 call) {@code name} ended under its request: its broker died or ended it. */
    boolean ended(String name) {
        return upstream.ended(name) || sessionlessHost.ended(name);
    }

    /** Waits until the upstream server has had {@code count} sampling streams opened (one per host session). */
    void awaitStreams(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (upstream.streamsOpened() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + upstream.streamsOpened() + " of " + count
                        + " upstream streams opened");
            }
            Thread.sleep(100);
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String registryUrl() {
        return registry.confluentApiUrl();
    }

    String prefix() {
        return PREFIX;
    }

    Path logs() {
        return dir.resolve("logs");
    }

    @Override
    public void close() {
        hosts.forEach(McpHostSession::close);
        services.values().forEach(ServiceProcess::close);
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                System.err.println("Stopping " + toClose.get(i).getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
