package io.samplingbroker.schemas.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.samplingbroker.schemas.topics.EventChain;

/**
 * Avro binary without a schema registry, for tests that run without one ({@code TopologyTestDriver}, Kafka's mock
 * clients): the records still go through real Avro encoding against the topic's schema (a record, or the union of the
 * records the topic carries), so a record the schema cannot carry fails here too; only the registry's header is
 * absent.
 */
public final class PlainAvroSerde<T> implements Serde<T> {

    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    /** A serializer that also stamps the tamper-evidence hash into the record's headers, as every topic's does. */
    public static <T> Serializer<T> stampingSerializerOf(Schema schema) {
        return EventChain.stamping(new PlainAvroSerde<T>(schema).serializer());
    }

    public static <T> Deserializer<T> deserializerOf(Schema schema) {
        return new PlainAvroSerde<T>(schema).deserializer();
    }

    public PlainAvroSerde(Schema schema) {
        SpecificData model = schema.getType() == Schema.Type.RECORD ? SpecificData.getForSchema(schema) : unionModel();
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
    }

    private static SpecificData unionModel() {
        SpecificData model = new SpecificData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return model;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                writer.write(data, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, null);
                return reader.read(null, decoder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
