package io.samplingbroker.schemas.registry;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The serializer and deserializer of one topic's values, as a Kafka Streams {@link Serde}. */
public final class AvroRegistrySerde<T> implements Serde<T> {

    private final AvroRegistrySerializer<T> serializer;
    private final AvroRegistryDeserializer<T> deserializer;

    public AvroRegistrySerde(Schema topicSchema, SchemaRegistryClient registry) {
        this.serializer = new AvroRegistrySerializer<>(topicSchema, registry);
        this.deserializer = new AvroRegistryDeserializer<>(topicSchema, registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
