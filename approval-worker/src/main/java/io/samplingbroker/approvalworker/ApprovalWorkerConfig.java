package io.samplingbroker.approvalworker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import io.samplingbroker.approvalworker.policy.PolicyLoader;
import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * The approval-worker's settings, checked when built so that a wrong one stops start-up with its key named.
 * Secrets (registry credentials, SASL settings) never appear in {@link #toString()}.
 *
 * @param kafka Kafka, schema registry and topic settings ({@code kafka.*}, {@code schema.registry.*},
 *     {@code topics.*}); Kafka Streams settings pass through as {@code kafka.streams.*}
 * @param policyFile the policy ({@value #POLICY_FILE}): a file path, or {@code classpath:<resource>}
 * @param applicationId the Kafka Streams application id ({@value #APPLICATION_ID}): the consumer group, and the
 *     prefix of internal topics; instances with the same id share the work
 * @param startupTimeout how long {@code ApprovalWorker.start} waits for Kafka Streams to run ({@value #STARTUP_TIMEOUT_MS})
 * @param pricesFile the price catalogue cost budgets price requests with ({@value #PRICES_FILE}), or null for none
 */
public record ApprovalWorkerConfig(KafkaSettings kafka, String policyFile, String applicationId, Duration startupTimeout,
        String pricesFile) {

    public static final String POLICY_FILE = "policy.file";
    public static final String APPLICATION_ID = "application.id";
    public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
    public static final String PRICES_FILE = "prices.file";

    public static final String DEFAULT_APPLICATION_ID = "sampling-approval-worker";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** The bundled sample policy (approve by default, with a deny, an amend and a rate limit), for the dev stack. */
    public static final String SAMPLE_POLICY = PolicyLoader.CLASSPATH_PREFIX + "sample-policy.yaml";

    /** Kafka's own rule for group ids and internal topic prefixes. */
    private static final Pattern LEGAL_APPLICATION_ID = Pattern.compile("[a-zA-Z0-9._-]+");

    public ApprovalWorkerConfig {
        Objects.requireNonNull(kafka, "kafka");
        if (policyFile == null || policyFile.isBlank()) {
            throw new ConfigException(POLICY_FILE + " is required: the policy (YAML) to decide with "
                    + "(environment: SAMPLING_POLICY_FILE)");
        }
        if (!policyFile.startsWith(PolicyLoader.CLASSPATH_PREFIX) && !Files.isRegularFile(Path.of(policyFile))) {
            throw new ConfigException(POLICY_FILE, policyFile, "no such file");
        }
        if (applicationId == null || !LEGAL_APPLICATION_ID.matcher(applicationId).matches()) {
            throw new ConfigException(APPLICATION_ID, applicationId, "use only letters, digits, '.', '_' and '-'");
        }
        if (kafka.streams().containsKey(StreamsConfig.APPLICATION_ID_CONFIG)) {
            throw new ConfigException("kafka.streams.application.id is not used; set " + APPLICATION_ID + " instead");
        }
        Objects.requireNonNull(startupTimeout, STARTUP_TIMEOUT_MS);
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new ConfigException(STARTUP_TIMEOUT_MS, startupTimeout.toMillis(), "must be positive");
        }
        pricesFile = pricesFile == null || pricesFile.isBlank() ? null : pricesFile;
        if (pricesFile != null && !Files.isRegularFile(Path.of(pricesFile))) {
            throw new ConfigException(PRICES_FILE, pricesFile, "no such file");
        }
    }

    /** For embedding: the given Kafka settings and policy, default application id and start-up timeout. */
    public static ApprovalWorkerConfig of(KafkaSettings kafka, String policyFile) {
        return new ApprovalWorkerConfig(kafka, policyFile, DEFAULT_APPLICATION_ID, DEFAULT_STARTUP_TIMEOUT, null);
    }

    /** Reads a YAML file (null: none) with environment overrides ({@code SAMPLING_POLICY_FILE}, ...). */
    public static ApprovalWorkerConfig load(Path file, Map<String, String> environment) {
        return fromSettings(ConfigSource.load(file, environment));
    }

    /** From flat settings, as {@link ConfigSource} produces them. */
    public static ApprovalWorkerConfig fromSettings(Map<String, String> settings) {
        return new ApprovalWorkerConfig(KafkaSettings.from(settings), settings.get(POLICY_FILE),
                settings.getOrDefault(APPLICATION_ID, DEFAULT_APPLICATION_ID),
                Duration.ofMillis(ConfigSource.wholeNumber(settings, STARTUP_TIMEOUT_MS, DEFAULT_STARTUP_TIMEOUT.toMillis())),
                settings.get(PRICES_FILE));
    }

    /** The review topology's application id: its own consumer group, internal topics and state. */
    public String reviewApplicationId() {
        return applicationId + "-review";
    }

    public ApprovalWorkerConfig withApplicationId(String id) {
        return new ApprovalWorkerConfig(kafka, policyFile, id, startupTimeout, pricesFile);
    }

    /** The same configuration on other Kafka settings (another principal's, for example). */
    public ApprovalWorkerConfig withKafka(KafkaSettings newKafka) {
        return new ApprovalWorkerConfig(newKafka, policyFile, applicationId, startupTimeout, pricesFile);
    }

    /** The same configuration pricing cost budgets with the catalogue in {@code file} (null: none). */
    public ApprovalWorkerConfig withPricesFile(String file) {
        return new ApprovalWorkerConfig(kafka, policyFile, applicationId, startupTimeout, file);
    }

    /**
     * The same configuration with more Kafka Streams settings, for embedding: for example
     * {@code withStreamsSettings(Map.of("state.dir", dataDir.resolve("approval").toString()))}.
     */
    public ApprovalWorkerConfig withStreamsSettings(Map<String, String> settings) {
        Map<String, String> streams = new HashMap<>(kafka.streams());
        streams.putAll(settings);
        return new ApprovalWorkerConfig(new KafkaSettings(kafka.common(), kafka.producer(), kafka.consumer(),
                kafka.admin(), streams, kafka.registry(), kafka.topics()), policyFile, applicationId, startupTimeout,
                pricesFile);
    }

    @Override
    public String toString() {
        return "ApprovalWorkerConfig[" + POLICY_FILE + "=" + policyFile + ", " + APPLICATION_ID + "=" + applicationId
                + ", " + STARTUP_TIMEOUT_MS + "=" + startupTimeout.toMillis() + ", " + PRICES_FILE + "=" + pricesFile
                + ", kafka="
                + kafka + "]";
    }
}
