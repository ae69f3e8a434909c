package io.samplingbroker.schemas.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Bytes that are not in the wire format are refused before any registry is asked. */
class AvroRegistryDeserializerTest {

    private final AvroRegistryDeserializer<Object> deserializer = new AvroRegistryDeserializer<>();

    AvroRegistryDeserializerTest() {
        // A registry that does not exist: these cases must fail without contacting it.
        deserializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:9", "schema.registry.retry.max.ms", "0"),
                false);
    }

    @Test
    void givenJsonBytes_whenDeserialized_thenTheMagicByteIsNamed() {
        assertThatThrownBy(() -> deserializer.deserialize("sampling.requests", "{\"a\":1}".getBytes()))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("Unknown magic byte 0x7b in a record on topic 'sampling.requests': expected 0x00 "
                        + "(Confluent wire format); the record was not written by a schema-registry serializer");
    }

    @Test
    void givenTooFewBytes_whenDeserialized_thenTheLengthIsNamed() {
        assertThatThrownBy(() -> deserializer.deserialize("sampling.results", new byte[] {0, 0, 1}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("Record on topic 'sampling.results' has 3 byte(s): too short");
    }

    @Test
    void givenNoBytes_whenDeserialized_thenTheValueIsNull() {
        org.assertj.core.api.Assertions.assertThat(deserializer.deserialize("t", null)).isNull();
    }
}
