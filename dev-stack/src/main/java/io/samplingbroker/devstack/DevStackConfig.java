package io.samplingbroker.devstack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;

/**
 * Settings of the embedded dev stack, read from the environment (each has a default, so none is required).
 *
 * @param dataDir where Kafka's log and the registry's database live, kept across restarts
 *     ({@value #DATA_DIR_ENV}, default {@code .dev-stack})
 * @param kafkaPort Kafka client port ({@value #KAFKA_PORT_ENV}, default 19092)
 * @param controllerPort KRaft controller port ({@value #CONTROLLER_PORT_ENV}, default 19093)
 * @param registryPort schema registry HTTP port ({@value #REGISTRY_PORT_ENV}, default 18081)
 * @param topicPrefix prefix of the sampling topics ({@value #TOPIC_PREFIX_ENV}, default {@code sampling.})
 * @param brokerPort the MCP gateway's port ({@value #BROKER_PORT_ENV}, default 8080)
 * @param modelsFile a model catalogue for the model-worker ({@value #MODELS_FILE_ENV}); null: the offline model only
 * @param consolePort the review console's port ({@value #CONSOLE_PORT_ENV}, default 8090)
 * @param reviewerPassword the dev reviewer's password ({@value #REVIEWER_PASSWORD_ENV}); null: one is generated on
 *     first start and kept in the data directory
 * @param managementPort the first of the services' management ports ({@value #MANAGEMENT_PORT_ENV}, default 9401:
 *     broker, then approval-worker, model-worker and review console on the next three, as each would alone; 0: free
 *     ports)
 * @param pricesFile a price catalogue ({@value #PRICES_FILE_ENV}): cost budgets in the policy, spend in the review
 *     console's overview; null: none
 * @param tracing where the services export their spans: the services' own {@code SAMPLING_TRACING_*} variables
 *     ({@link TracingSettings}); off unless {@code SAMPLING_TRACING_OTLP_ENDPOINT} is set
 */
public record DevStackConfig(Path dataDir, int kafkaPort, int controllerPort, int registryPort, String topicPrefix,
        int brokerPort, Path modelsFile, int consolePort, String reviewerPassword, int managementPort,
        Path pricesFile, TracingSettings tracing) {

    public static final String DATA_DIR_ENV = "SAMPLING_DEV_DATA_DIR";
    public static final String KAFKA_PORT_ENV = "SAMPLING_DEV_KAFKA_PORT";
    public static final String CONTROLLER_PORT_ENV = "SAMPLING_DEV_CONTROLLER_PORT";
    public static final String REGISTRY_PORT_ENV = "SAMPLING_DEV_REGISTRY_PORT";
    public static final String TOPIC_PREFIX_ENV = "SAMPLING_DEV_TOPIC_PREFIX";
    public static final String BROKER_PORT_ENV = "SAMPLING_DEV_BROKER_PORT";
    public static final String MODELS_FILE_ENV = "SAMPLING_DEV_MODELS_FILE";
    public static final String CONSOLE_PORT_ENV = "SAMPLING_DEV_CONSOLE_PORT";
    public static final String REVIEWER_PASSWORD_ENV = "SAMPLING_DEV_REVIEWER_PASSWORD";
    public static final String MANAGEMENT_PORT_ENV = "SAMPLING_DEV_MANAGEMENT_PORT";
    public static final String PRICES_FILE_ENV = "SAMPLING_DEV_PRICES_FILE";

    public DevStackConfig {
        Objects.requireNonNull(dataDir, DATA_DIR_ENV);
        requirePort(kafkaPort, KAFKA_PORT_ENV);
        requirePort(controllerPort, CONTROLLER_PORT_ENV);
        requirePort(registryPort, REGISTRY_PORT_ENV);
        requirePort(brokerPort, BROKER_PORT_ENV);
        requirePort(consolePort, CONSOLE_PORT_ENV);
        if (java.util.stream.IntStream.of(kafkaPort, controllerPort, registryPort, brokerPort, consolePort).distinct()
                .count() < 5) {
            throw new IllegalArgumentException("The Kafka, controller, registry, broker and console ports must differ, got "
                    + kafkaPort + ", " + controllerPort + ", " + registryPort + ", " + brokerPort + " and " + consolePort);
        }
        if (reviewerPassword != null && reviewerPassword.length() < 8) {
            throw new IllegalArgumentException(REVIEWER_PASSWORD_ENV + " must have at least 8 characters");
        }
        Objects.requireNonNull(topicPrefix, TOPIC_PREFIX_ENV);
        if (managementPort != 0) {
            requirePort(managementPort, MANAGEMENT_PORT_ENV);
            requirePort(managementPort + 3, MANAGEMENT_PORT_ENV + " + 3");
        }
        Objects.requireNonNull(tracing, "tracing");
    }

    public static DevStackConfig fromEnvironment(Map<String, String> env) {
        return new DevStackConfig(
                Path.of(env.getOrDefault(DATA_DIR_ENV, ".dev-stack")).toAbsolutePath(),
                port(env, KAFKA_PORT_ENV, 19092),
                port(env, CONTROLLER_PORT_ENV, 19093),
                port(env, REGISTRY_PORT_ENV, 18081),
                env.getOrDefault(TOPIC_PREFIX_ENV, "sampling."),
                port(env, BROKER_PORT_ENV, 8080),
                env.containsKey(MODELS_FILE_ENV) ? Path.of(env.get(MODELS_FILE_ENV)).toAbsolutePath() : null,
                port(env, CONSOLE_PORT_ENV, 8090),
                env.get(REVIEWER_PASSWORD_ENV) == null || env.get(REVIEWER_PASSWORD_ENV).isBlank() ? null
                        : env.get(REVIEWER_PASSWORD_ENV),
                port(env, MANAGEMENT_PORT_ENV, 9401),
                env.containsKey(PRICES_FILE_ENV) ? Path.of(env.get(PRICES_FILE_ENV)).toAbsolutePath() : null,
                TracingSettings.fromSettings(ConfigSource.load(null, env)));
    }

    @Override
    public String toString() {
        return "DevStackConfig[dataDir=" + dataDir + ", kafkaPort=" + kafkaPort + ", controllerPort=" + controllerPort
                + ", registryPort=" + registryPort + ", topicPrefix=" + topicPrefix + ", brokerPort=" + brokerPort
                + ", modelsFile=" + modelsFile + ", consolePort=" + consolePort + ", reviewerPassword="
                + (reviewerPassword == null ? "(generated)" : "(redacted)") + ", managementPort=" + managementPort
                + ", pricesFile=" + pricesFile + ", tracing=" + tracing + "]";
    }

    private static int port(Map<String, String> env, String key, int defaultValue) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a port number, got '" + value + "'");
        }
    }

    private static void requirePort(int port, String key) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + " must be a port in 1..65535, got " + port);
        }
    }
}
