package io.samplingbroker.schemas.topics;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import io.samplingbroker.schemas.registry.SchemaRegistryClient;

/**
 * One value serializer for every topic a writer may write: it picks each topic's own serializer by name (so each
 * event is written with its topic's schema, and stamped with its tamper-evidence hash, {@link EventChain}), and
 * refuses a topic outside the list, so a writer can only write the topics the table gives it ({@link Service}).
 */
public final class EventSerializer implements Serializer<Object> {

    private final Map<String, Serializer<Object>> byTopic = new HashMap<>();
    private final String writer;

    /**
     * @param writer who writes, for the error when asked to write elsewhere
     * @param byTopic each topic it may write, with that topic's value serializer
     */
    @SuppressWarnings("unchecked")
    public EventSerializer(String writer, Map<String, ? extends Serializer<?>> byTopic) {
        this.writer = writer;
        byTopic.forEach((topic, serializer) -> this.byTopic.put(topic, (Serializer<Object>) serializer));
    }

    /**
     * @param writer who writes, for the error when asked to write elsewhere
     * @param topics the topics it may write
     * @param clientConfig the producer's settings (a {@code value.serializer} there replaces the registry serde)
     */
    public EventSerializer(String writer, Collection<TopicSpec<?>> topics, Map<String, ?> clientConfig,
            SchemaRegistryClient registry) {
        this(writer, serializers(topics, clientConfig, registry));
    }

    private static Map<String, Serializer<?>> serializers(Collection<TopicSpec<?>> topics, Map<String, ?> clientConfig,
            SchemaRegistryClient registry) {
        Map<String, Serializer<?>> byTopic = new HashMap<>();
        topics.forEach(topic -> byTopic.put(topic.name(), topic.valueSerializer(clientConfig, registry)));
        return byTopic;
    }

    /** The serializer of what {@code service} writes, by the table. */
    public static EventSerializer of(Service service, SamplingTopics topics, Map<String, ?> clientConfig,
            SchemaRegistryClient registry) {
        return new EventSerializer(service.id(), service.written(topics), clientConfig, registry);
    }

    @Override
    public byte[] serialize(String topic, Object value) {
        return serializerOf(topic).serialize(topic, value);
    }

    /** Serializes with the record's headers, where the topic's serializer stamps the chain hash. */
    @Override
    public byte[] serialize(String topic, Headers headers, Object value) {
        return serializerOf(topic).serialize(topic, headers, value);
    }

    private Serializer<Object> serializerOf(String topic) {
        Serializer<Object> serializer = byTopic.get(topic);
        if (serializer == null) {
            throw new SerializationException(writer + " may not write topic " + topic + ": it writes only "
                    + byTopic.keySet() + " (the writers table, schemas/README.md)");
        }
        return serializer;
    }

    @Override
    public void close() {
        byTopic.values().forEach(Serializer::close);
    }
}
