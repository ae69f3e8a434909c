package io.samplingbroker.serviceruntime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.KafkaSettings;
import picocli.CommandLine.Option;

/**
 * Where the operator's command lines (the audit, the admin command) find Kafka and the registry: a service's config
 * file and {@code SAMPLING_*} environment as the services read them, then these options, then the embedded dev
 * stack's addresses, so that against the dev stack nothing needs saying: without {@code --config}, a command run from
 * the repository root uses the client file the dev stack wrote for its user ({@value #DEV_STACK_DIR}/{@value
 * #DEV_CLIENTS_DIR}/{@code <user>.yaml}), since the dev stack's Kafka is secured.
 */
public final class KafkaConnectionOptions {

    public static final String DEV_BOOTSTRAP = "127.0.0.1:19092";
    public static final String DEV_REGISTRY = "http://127.0.0.1:18081/apis/ccompat/v7";
    public static final String DEV_STACK_DIR = ".dev-stack";
    public static final String DEV_CLIENTS_DIR = "kafka-clients";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (else kafka.bootstrap.servers from --config or"
                    + " SAMPLING_KAFKA_BOOTSTRAP_SERVERS; else the dev stack's " + DEV_BOOTSTRAP + ").")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Schema registry (Confluent API) URL (else schema.registry.url; else " + DEV_REGISTRY + ").")
    String registryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Topic name prefix (else topics.prefix; else 'sampling.').")
    String topicPrefix;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A service YAML file (kafka.*, schema.registry.*, topics.*); SAMPLING_* variables override it.")
    Path config;

    /**
     * The settings, with a command line's registry patience: {@code retryMaxMs} at most, so that an unreachable
     * registry is reported in seconds rather than after the serde's 30 s.
     *
     * @param devStackUser whose dev-stack client file to use when no config file is named
     */
    public KafkaSettings kafkaSettings(Map<String, String> environment, long retryMaxMs, String devStackUser) {
        Path file = config;
        Path devStackFile = Path.of(DEV_STACK_DIR, DEV_CLIENTS_DIR, devStackUser + ".yaml");
        if (file == null && bootstrapServers == null && Files.isReadable(devStackFile)) {
            file = devStackFile;
        }
        Map<String, String> settings = new TreeMap<>(ConfigSource.load(file, environment));
        override(settings, "kafka.bootstrap.servers", bootstrapServers, DEV_BOOTSTRAP);
        override(settings, RegistrySerdeConfig.URL, registryUrl, DEV_REGISTRY);
        override(settings, "topics.prefix", topicPrefix, null);
        settings.putIfAbsent(RegistrySerdeConfig.RETRY_MAX_MS, Long.toString(Math.min(retryMaxMs, 30_000)));
        return KafkaSettings.from(settings);
    }

    private static void override(Map<String, String> settings, String key, String option, String fallback) {
        if (option != null) {
            settings.put(key, option);
        } else if (fallback != null) {
            settings.putIfAbsent(key, fallback);
        }
    }
}
