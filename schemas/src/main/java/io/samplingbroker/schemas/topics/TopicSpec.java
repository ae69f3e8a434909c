package io.samplingbroker.schemas.topics;

import java.util.Map;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

import io.samplingbroker.schemas.registry.AvroRegistrySerde;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;

/**
 * One topic of the sampling flow: its name, key and value serdes, and how it is created.
 *
 * @param role the topic's role ({@code requests}, {@code decisions}, ...), stable across prefixes
 * @param name the full topic name
 * @param valueSchema the value's Avro schema (a record, or a union of the records this topic carries); null for
 *     a topic of raw bytes
 * @param valueType the Java type of values
 * @param partitions number of partitions
 * @param replicationFactor replicas, or -1 for the broker default
 * @param configs Kafka topic configs (retention, cleanup policy, ...)
 */
public record TopicSpec<V>(String role, String name, Schema valueSchema, Class<V> valueType, int partitions,
        short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        configs = Map.copyOf(configs);
    }

    /** Keys are request ids as UTF-8 strings: readable by any tool, and they keep a request's events in order. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /**
     * The value serde, sharing one registry client (and its caches) across topics: it stamps every record it writes
     * with its chain hash, and reads only records that carry theirs ({@link EventChain#verifying}).
     */
    @SuppressWarnings("unchecked")
    public Serde<V> valueSerde(SchemaRegistryClient registry) {
        if (valueSchema == null) {
            return (Serde<V>) Serdes.ByteArray();
        }
        AvroRegistrySerde<V> serde = new AvroRegistrySerde<>(valueSchema, registry);
        return Serdes.serdeFrom(EventChain.stamping(serde.serializer()), EventChain.verifying(serde.deserializer()));
    }

    /**
     * The value serializer: the class named by {@code value.serializer} in {@code clientConfig} when set (for
     * example Confluent's {@code KafkaAvroSerializer}, configured with the same client config), else this topic's
     * registry serde.
     */
    @SuppressWarnings("unchecked")
    public Serializer<V> valueSerializer(Map<String, ?> clientConfig, SchemaRegistryClient registry) {
        Object configured = clientConfig.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        if (configured == null) {
            return valueSerde(registry).serializer();
        }
        Serializer<V> serializer = (Serializer<V>) instantiate(configured, Serializer.class);
        serializer.configure(clientConfig, false);
        return EventChain.stamping(serializer);
    }

    /**
     * The value deserializer of the services: the class named by {@code value.deserializer} when set, else the
     * registry serde's; either reads only records that carry their chain hash ({@link EventChain#verifying}).
     */
    public Deserializer<V> valueDeserializer(Map<String, ?> clientConfig, SchemaRegistryClient registry) {
        Deserializer<V> any = anyWriterDeserializer(clientConfig, registry);
        return valueSchema == null ? any : EventChain.verifying(any); // dead letters: raw copies, chained or not
    }

    /**
     * The same without the chain check: for the audit, which reads every record, chained or not, and reports what
     * the chain says of each.
     */
    @SuppressWarnings("unchecked")
    public Deserializer<V> anyWriterDeserializer(Map<String, ?> clientConfig, SchemaRegistryClient registry) {
        Object configured = clientConfig.get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        if (valueSchema == null) {
            return (Deserializer<V>) Serdes.ByteArray().deserializer();
        }
        if (configured == null) {
            return new AvroRegistrySerde<V>(valueSchema, registry).deserializer();
        }
        Deserializer<V> deserializer = (Deserializer<V>) instantiate(configured, Deserializer.class);
        deserializer.configure(clientConfig, false);
        return deserializer;
    }

    private <T> T instantiate(Object configured, Class<T> type) {
        try {
            return configured instanceof Class<?> c ? Utils.newInstance(c.asSubclass(type))
                    : Utils.newInstance(configured.toString(), type);
        } catch (ClassNotFoundException | RuntimeException e) {
            throw new ConfigException("Cannot create the " + type.getSimpleName() + " '" + configured + "' for topic '"
                    + name + "': " + e.getMessage());
        }
    }

    public NewTopic newTopic() {
        return new NewTopic(name, java.util.Optional.of(partitions), java.util.Optional.of(replicationFactor))
                .configs(configs);
    }
}
