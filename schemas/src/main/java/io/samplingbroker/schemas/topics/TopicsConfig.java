package io.samplingbroker.schemas.topics;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

/**
 * How the sampling topics are named and created.
 *
 * @param prefix prepended to every topic name ({@value #DEFAULT_PREFIX} by default), so several deployments can
 *     share a cluster
 * @param partitions partitions of each event topic; the unit of parallelism of every service
 * @param replicationFactor replicas per partition, or -1 for the broker's default
 * @param retentionMs how long events are kept; -1 (the default) keeps the audit history for ever
 * @param topicConfigs extra Kafka topic configs per topic role ({@code requests}, ...), applied last
 */
public record TopicsConfig(String prefix, int partitions, short replicationFactor, long retentionMs,
        Map<String, Map<String, String>> topicConfigs) {

    public static final String DEFAULT_PREFIX = "sampling.";
    public static final int DEFAULT_PARTITIONS = 6;

    /** Keys read by {@link #fromProperties(Map)}. */
    public static final String PREFIX = "topics.prefix";
    public static final String PARTITIONS = "topics.partitions";
    public static final String REPLICATION_FACTOR = "topics.replication.factor";
    public static final String RETENTION_MS = "topics.retention.ms";
    /** {@code topics.<role>.config.<kafka topic config>}, for example {@code topics.results.config.retention.ms}. */
    private static final Pattern TOPIC_CONFIG_KEY = Pattern.compile("topics\\.([a-z-]+)\\.config\\.(.+)");
    private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]*");

    public TopicsConfig {
        Objects.requireNonNull(prefix, PREFIX);
        if (!LEGAL_PREFIX.matcher(prefix).matches()) {
            throw new ConfigException(PREFIX, prefix, "Kafka topic names allow only letters, digits, '.', '_' and '-'");
        }
        if (partitions < 1) {
            throw new ConfigException(PARTITIONS, partitions, "must be at least 1");
        }
        if (replicationFactor < 1 && replicationFactor != -1) {
            throw new ConfigException(REPLICATION_FACTOR, replicationFactor, "must be at least 1, or -1 for the broker default");
        }
        if (retentionMs < -1) {
            throw new ConfigException(RETENTION_MS, retentionMs, "must be -1 (keep for ever) or a number of milliseconds");
        }
        Map<String, Map<String, String>> copy = new HashMap<>();
        Objects.requireNonNull(topicConfigs, "topicConfigs").forEach((role, configs) -> copy.put(role, Map.copyOf(configs)));
        topicConfigs = Map.copyOf(copy);
    }

    public static TopicsConfig defaults() {
        return new TopicsConfig(DEFAULT_PREFIX, DEFAULT_PARTITIONS, (short) -1, -1, Map.of());
    }

    /** Same settings under another prefix (tests use this to keep their topics apart). */
    public TopicsConfig withPrefix(String newPrefix) {
        return new TopicsConfig(newPrefix, partitions, replicationFactor, retentionMs, topicConfigs);
    }

    /** Reads {@code topics.*} keys; other keys are ignored. */
    public static TopicsConfig fromProperties(Map<String, String> properties) {
        TopicsConfig defaults = defaults();
        Map<String, Map<String, String>> perTopic = new HashMap<>();
        properties.forEach((key, value) -> {
            var matcher = TOPIC_CONFIG_KEY.matcher(key);
            if (matcher.matches()) {
                String role = matcher.group(1);
                if (!SamplingTopics.ROLES.contains(role)) {
                    throw new ConfigException(key, value, "unknown topic role '" + role + "'; known: " + SamplingTopics.ROLES);
                }
                perTopic.computeIfAbsent(role, r -> new HashMap<>()).put(matcher.group(2), value);
            }
        });
        return new TopicsConfig(
                properties.getOrDefault(PREFIX, defaults.prefix()),
                (int) number(properties, PARTITIONS, defaults.partitions()),
                (short) number(properties, REPLICATION_FACTOR, defaults.replicationFactor()),
                number(properties, RETENTION_MS, defaults.retentionMs()),
                perTopic);
    }

    private static long number(Map<String, String> properties, String key, long defaultValue) {
        String value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number");
        }
    }
}
