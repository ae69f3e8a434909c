package io.samplingbroker.launcher;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.samplingbroker.infra.ApicurioRegistryProcess;
import io.samplingbroker.infra.EmbeddedKafkaBroker;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;

/**
 * The embedded stack in one command: a real Kafka broker, a real schema registry, and the sampling topics, with
 * data kept across restarts. Ctrl-C stops everything, child processes included.
 */
public final class DevStack implements AutoCloseable {

    private final DevStackConfig config;
    private ApicurioRegistryProcess registry;
    private EmbeddedKafkaBroker kafka;
    private SamplingTopics topics;

    public DevStack(DevStackConfig config) {
        this.config = config;
    }

    /** Starts the registry and Kafka, and creates the sampling topics. */
    public DevStack start() throws Exception {
        try {
            registry = new ApicurioRegistryProcess(new ApicurioRegistryProcess.Settings(config.registryPort(),
                    Optional.of(config.dataDir().resolve("registry")), config.dataDir().resolve("registry.log"))).start();
            kafka = new EmbeddedKafkaBroker(new EmbeddedKafkaBroker.Settings(config.dataDir().resolve("kafka"),
                    config.kafkaPort(), config.controllerPort(), false, Map.of())).start();
            topics = new SamplingTopics(TopicsConfig.defaults().withPrefix(config.topicPrefix()));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            return this;
        } catch (Exception e) {
            close();
            throw e;
        }
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

    void printAddresses(PrintStream out) {
        out.println();
        out.println("Sampling Broker dev stack is up");
        out.println("  Kafka bootstrap servers : " + bootstrapServers());
        out.println("  Schema registry (Confluent API, Apicurio): " + schemaRegistryUrl());
        out.println("  Topics                  : " + String.join(", ", topicNames()));
        out.println("  Data (kept on restart)  : " + config.dataDir());
        out.println("Press Ctrl-C to stop.");
        out.println();
    }

    @Override
    public void close() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        DevStack stack = new DevStack(DevStackConfig.fromEnvironment(System.getenv()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the dev stack...");
            stack.close();
            stopped.countDown();
        }, "dev-stack-stop"));
        stack.start().printAddresses(System.out);
        stopped.await();
    }
}
