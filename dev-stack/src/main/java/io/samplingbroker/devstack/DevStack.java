package io.samplingbroker.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import io.samplingbroker.approvalworker.ApprovalWorker;
import io.samplingbroker.approvalworker.ApprovalWorkerConfig;
import io.samplingbroker.broker.BrokerConfig;
import io.samplingbroker.broker.stdio.StdioFrontMain;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.embeddedinfra.ApicurioRegistryProcess;
import io.samplingbroker.embeddedinfra.Directories;
import io.samplingbroker.embeddedinfra.EmbeddedKafkaBroker;
import io.samplingbroker.embeddedinfra.KafkaSecurity;
import io.samplingbroker.modelworker.ModelWorkerConfig;
import io.samplingbroker.modelworker.catalogue.CatalogueFile;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.cli.KafkaConnectionOptions;

/**
 * The embedded stack in one command: a real Kafka broker, a real schema registry, the sampling topics, the
 * approval-worker (with the sample policy), the model-worker (offline model unless a catalogue is given), and the
 * broker in front of server-everything. Data is kept across restarts. Ctrl-C stops everything, child processes
 * included.
 */
public final class DevStack implements AutoCloseable {

    private final DevStackConfig config;
    private final List<AutoCloseable> started = new ArrayList<>();
    private ApicurioRegistryProcess registry;
    private EmbeddedKafkaBroker kafka;
    private SamplingTopics topics;
    private ServiceStack services;
    private DevReviewer reviewer;

    /**
     * A held request waits this long for its reviewer; server-everything itself gives up on a sampling request
     * after 60 s, so the broker answers (expired) a little before that.
     */
    static final Duration DEADLINE = Duration.ofSeconds(55);

    public DevStack(DevStackConfig config) {
        this.config = config;
    }

    /** Starts everything in dependency order; on failure, stops what had started. */
    public DevStack start() throws Exception {
        try {
            registry = remember(new ApicurioRegistryProcess(new ApicurioRegistryProcess.Settings(config.registryPort(),
                    Optional.of(config.dataDir().resolve("registry")), config.dataDir().resolve("registry.log"))).start());
            kafka = remember(new EmbeddedKafkaBroker(new EmbeddedKafkaBroker.Settings(config.dataDir().resolve("kafka"),
                    config.kafkaPort(), config.controllerPort(), false, Map.of(), null).secured()).start());
            if (kafka.formattedStorage()) {
                // a new cluster: what the approval-worker kept locally belongs to topics that are gone
                Directories.deleteRecursively(config.dataDir().resolve("approval-state"));
            }
            TopicsConfig topicsConfig = TopicsConfig.defaults().withPrefix(config.topicPrefix());
            topics = new SamplingTopics(topicsConfig);
            KafkaSettings settings = KafkaSettings.of(clientSettings(KafkaSecurity.ADMIN_USER),
                    registry.confluentApiUrl(), topicsConfig);
            reviewer = DevReviewer.of(config);
            ModelWorkerConfig models = ModelWorkerConfig.defaults(settings);
            if (config.modelsFile() != null) {
                models = models.withCatalogue(CatalogueFile.load(config.modelsFile(), System.getenv()));
            }
            services = remember(ServiceStack.on(settings)
                    .approvalWorker(ApprovalWorkerConfig.of(settings, policyFile().toString()).withStreamsSettings(
                            Map.of("state.dir", config.dataDir().resolve("approval-state").toString()))
                            .withPricesFile(config.pricesFile() == null ? null : config.pricesFile().toString()))
                    .reviewConsole(reviewer.consoleConfig(config.consolePort()))
                    .modelWorker(models)
                    .broker(new BrokerConfig(settings, "dev-broker", "127.0.0.1", config.brokerPort(), DEADLINE,
                            Duration.ofMinutes(30), Map.of(ExampleServer.NAME, new UpstreamSpec.Stdio(ExampleServer.NAME,
                                    ExampleServer.command(), Map.of(), null))))
                    .secured(kafka.security())
                    .serveManagement(config.managementPort())
                    .tracing(config.tracing())
                    .start());
            writeClientConfigs();
            return this;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T remember(T service) {
        started.add(service);
        return service;
    }

    /** The sample policy is copied next to the data on first start, so the user can edit it. */
    private Path policyFile() throws IOException {
        Path policy = config.dataDir().resolve("policy.yaml");
        if (!Files.exists(policy)) {
            Files.createDirectories(config.dataDir());
            try (InputStream sample = ApprovalWorker.class.getResourceAsStream("/sample-policy.yaml")) {
                if (sample == null) {
                    throw new IllegalStateException("sample-policy.yaml is missing from the approval-worker jar");
                }
                Files.copy(sample, policy);
            }
        }
        return policy;
    }

    /** Client settings of one of the stack's Kafka users: bootstrap servers, TLS truststore, SCRAM credentials. */
    public Map<String, String> clientSettings(String user) {
        Map<String, String> settings = new java.util.HashMap<>(kafka.security().clientSettings(user));
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        return settings;
    }

    /**
     * {@code kafka-clients/<user>.yaml} for the audit and admin commands ({@code --config}; they look there by
     * themselves when run from the repository root) and the stdio front: the stack's Kafka is secured, so a client
     * needs a user. Owner-only files: they hold passwords, as {@code kafka/security/credentials.properties} does.
     */
    private void writeClientConfigs() {
        Path dir = config.dataDir().resolve(KafkaConnectionOptions.DEV_CLIENTS_DIR);
        for (String user : List.of(KafkaSecurity.ADMIN_USER, ServiceStack.AUDIT_USER, "broker")) {
            Map<String, String> settings = new java.util.HashMap<>();
            clientSettings(user).forEach((key, value) -> settings.put("kafka." + key, value));
            settings.put("schema.registry.url", registry.confluentApiUrl());
            settings.put("topics.prefix", config.topicPrefix());
            Directories.writeSettingsFile(dir.resolve(user + ".yaml"),
                    "Written by the dev stack: Kafka client settings of user " + user, settings);
        }
    }

    /** A script that runs the broker's stdio front against this stack, for hosts that only launch commands. */
    private Path writeStdioScript() throws IOException {
        Path script = config.dataDir().resolve("bin/sampling-broker-stdio");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\n"
                + "# Written by the dev stack: the broker's stdio front, connected to this stack.\n"
                + "# It runs as the broker's Kafka user, whose settings are in its config file.\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' " + StdioFrontMain.class.getName() + " --config '"
                + config.dataDir().resolve(KafkaConnectionOptions.DEV_CLIENTS_DIR).resolve("broker.yaml")
                .toAbsolutePath() + "' \"$@\"\n");
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: run it with sh
        }
        return script;
    }

    public String reviewConsoleUrl() {
        return services.reviewConsole().orElseThrow().url();
    }

    /** Where each service serves its health and metrics, by name. */
    public Map<String, Integer> managementPorts() {
        return services.managementPorts();
    }

    public String mcpUrl() {
        return services.broker().mcpUrl(ExampleServer.NAME);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.confluentApiUrl();
    }

    public List<String> topicNames() {
        return topics.all().stream().map(TopicSpec::name).toList();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("Stopping " + started.get(i).getClass().getSimpleName() + " failed: " + e);
            }
        }
        started.clear();
    }

    public static void main(String[] args) throws Exception {
        DevStack stack = new DevStack(DevStackConfig.fromEnvironment(System.getenv()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the dev stack...");
            stack.close();
            stopped.countDown();
        }, "dev-stack-stop"));
        stack.start();
        ConnectionGuide.print(System.out, new ConnectionGuide.Addresses(stack.mcpUrl(), stack.bootstrapServers(),
                stack.schemaRegistryUrl(), stack.writeStdioScript(), stack.config.dataDir().resolve("policy.yaml"),
                stack.config.dataDir(), stack.reviewConsoleUrl(), DevReviewer.NAME, stack.reviewer,
                stack.managementPorts(), stack.config.tracing()));
        // A service that breaks stops the stack (exit 1) instead of leaving it up and unable to answer.
        // Exits from a thread of its own: the failing part's thread must not wait in System.exit while the shutdown
        // hook closes (and joins) it.
        stack.services.failed().thenAccept(failure -> new Thread(() -> {
            System.err.println("The dev stack stops: " + failure.getMessage());
            System.exit(1); // the shutdown hook stops the rest
        }, "dev-stack-failed").start());
        stopped.await();
    }
}
