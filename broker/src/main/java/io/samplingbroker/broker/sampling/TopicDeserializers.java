package io.samplingbroker.broker.sampling;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/** For one consumer of several topics: each topic's own value deserializer, chosen by the record's topic. */
record TopicDeserializers(Map<String, Deserializer<? extends SpecificRecord>> deserializers)
        implements Deserializer<SpecificRecord> {

    TopicDeserializers {
        deserializers = Map.copyOf(deserializers);
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        return deserializers.get(topic).deserialize(topic, data);
    }

    @Override
    public SpecificRecord deserialize(String topic, Headers headers, byte[] data) {
        return deserializers.get(topic).deserialize(topic, headers, data);
    }

    @Override
    public void close() {
        deserializers.values().forEach(Deserializer::close);
    }
}
