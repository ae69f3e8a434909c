package io.samplingbroker.serviceruntime;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;

import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicsConfig;

/**
 * How a service reaches Kafka and the schema registry. Kafka client settings pass through untouched as prefixed
 * maps: {@code kafka.*} for every client, then {@code kafka.producer.*}, {@code kafka.consumer.*},
 * {@code kafka.admin.*} and {@code kafka.streams.*} for one kind. Registry settings are the serde's own keys
 * ({@code schema.registry.url}, ...). Secrets never appear in {@link #toString()}.
 *
 * @param common settings for every Kafka client (bootstrap servers, security)
 * @param producer producer-only settings
 * @param consumer consumer-only settings
 * @param admin admin-client-only settings
 * @param streams Kafka Streams settings
 * @param registry schema registry serde settings
 * @param topics topic names and creation settings
 */
public record KafkaSettings(Map<String, String> common, Map<String, String> producer, Map<String, String> consumer,
        Map<String, String> admin, Map<String, String> streams, Map<String, String> registry, TopicsConfig topics) {

    private static final String[] CLIENT_KINDS = {"producer", "consumer", "admin", "streams"};

    public KafkaSettings {
        common = Map.copyOf(common);
        producer = Map.copyOf(producer);
        consumer = Map.copyOf(consumer);
        admin = Map.copyOf(admin);
        streams = Map.copyOf(streams);
        registry = Map.copyOf(registry);
        Objects.requireNonNull(topics, "topics");
        if (!common.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException("kafka.bootstrap.servers is required (environment: SAMPLING_KAFKA_BOOTSTRAP_SERVERS)");
        }
        if (!registry.containsKey(RegistrySerdeConfig.URL)) {
            throw new ConfigException("schema.registry.url is required (environment: SAMPLING_SCHEMA_REGISTRY_URL)");
        }
        RegistrySerdeConfig.fromConfigs(registry); // validates now, not at the first record
    }

    /** Reads {@code kafka.*}, {@code schema.registry.*} and the serde keys, and {@code topics.*}. */
    public static KafkaSettings from(Map<String, String> settings) {
        Map<String, String> kafka = ConfigSource.withPrefix(settings, "kafka");
        Map<String, String> common = new HashMap<>(kafka);
        common.keySet().removeIf(key -> {
            for (String kind : CLIENT_KINDS) {
                if (key.startsWith(kind + ".")) {
                    return true;
                }
            }
            return false;
        });
        Map<String, String> registry = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith("schema.registry.") || key.equals(RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS)
                    || key.equals(RegistrySerdeConfig.USE_LATEST_VERSION)
                    || key.equals(RegistrySerdeConfig.LATEST_CACHE_TTL_SEC)
                    || key.startsWith("basic.auth.")) {
                registry.put(key, value);
            }
        });
        return new KafkaSettings(common, ConfigSource.withPrefix(kafka, "producer"),
                ConfigSource.withPrefix(kafka, "consumer"), ConfigSource.withPrefix(kafka, "admin"),
                ConfigSource.withPrefix(kafka, "streams"), registry, TopicsConfig.fromProperties(settings));
    }

    /** Settings for a service started next to a known cluster and registry (tests, the dev stack). */
    public static KafkaSettings of(String bootstrapServers, String registryUrl, TopicsConfig topics) {
        return of(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), registryUrl, topics);
    }

    /** As above, with client settings for every client ({@code bootstrap.servers} and, say, a principal's SASL). */
    public static KafkaSettings of(Map<String, String> common, String registryUrl, TopicsConfig topics) {
        return new KafkaSettings(common, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(RegistrySerdeConfig.URL,
                registryUrl), topics);
    }

    /** The same settings for another principal: {@code credentials} (security settings) replace those in common. */
    public KafkaSettings withCredentials(Map<String, String> credentials) {
        Map<String, String> merged = new HashMap<>(common);
        merged.putAll(credentials);
        return new KafkaSettings(merged, producer, consumer, admin, streams, registry, topics);
    }

    public Map<String, Object> producerConfig() {
        return merge(producer);
    }

    public Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> config = merge(consumer);
        config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        return config;
    }

    public Map<String, Object> adminConfig() {
        return merge(admin);
    }

    public Map<String, Object> streamsConfig() {
        return merge(streams);
    }

    public SamplingTopics samplingTopics() {
        return new SamplingTopics(topics);
    }

    /** One registry client per service, so every topic's serde shares its caches. */
    public SchemaRegistryClient newRegistryClient() {
        return new SchemaRegistryClient(RegistrySerdeConfig.fromConfigs(registry));
    }

    public String bootstrapServers() {
        return common.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    private Map<String, Object> merge(Map<String, String> specific) {
        Map<String, Object> config = new HashMap<>(common);
        config.putAll(specific);
        config.putAll(registry);
        return config;
    }

    @Override
    public String toString() {
        return "KafkaSettings[common=" + Secrets.redacted(common) + ", producer=" + Secrets.redacted(producer)
                + ", consumer=" + Secrets.redacted(consumer) + ", admin=" + Secrets.redacted(admin) + ", streams="
                + Secrets.redacted(streams) + ", registry=" + Secrets.redacted(registry) + ", topics=" + topics + "]";
    }
}
