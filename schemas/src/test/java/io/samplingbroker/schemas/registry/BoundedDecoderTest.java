package io.samplingbroker.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.events.SampleEvents;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;

class BoundedDecoderTest {

    @Test
    void givenAStringLongerThanTheRecord_whenRead_thenRefusedBeforeAnythingIsAllocated() {
        // found by RegistryRecordsFuzzIT: a length of ~1 GiB in a 30-byte record ran a 1 GiB heap out of memory
        byte[] record = bytes(encoder -> encoder.writeLong(1_000_000_000L), "abc".getBytes());

        assertThatThrownBy(() -> decoder(record).readString())
                .isInstanceOf(IOException.class).hasMessage("a string of 1000000000 bytes with 3 left in the record");
        assertThatThrownBy(() -> decoder(bytes(encoder -> encoder.writeLong(-1), new byte[0])).readBytes(null))
                .isInstanceOf(IOException.class).hasMessageStartingWith("a bytes field of -1 bytes");
    }

    @Test
    void givenAnArrayBlockWithMoreItemsThanBytes_whenRead_thenRefused() {
        byte[] record = bytes(encoder -> encoder.writeLong(500_000_000L), new byte[] {1, 2});

        assertThatThrownBy(() -> decoder(record).readArrayStart())
                .isInstanceOf(IOException.class).hasMessage("a block of 500000000 items with 2 bytes left in the record");
    }

    @Test
    void givenARealEvent_whenReadThroughTheBound_thenItIsTheSameEvent() throws IOException {
        SamplingRequested event = SampleEvents.requested("r-1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SamplingRequested>(SamplingRequested.class).write(event, encoder);
        encoder.flush();
        BoundedDecoder decoder = decoder(out.toByteArray());

        assertThat(new SpecificDatumReader<SamplingRequested>(SamplingRequested.class).read(null, decoder))
                .isEqualTo(event);
        assertThat(decoder.isEnd()).isTrue();
    }

    @Test
    void givenEveryTopicSchema_whenWalked_thenNoArrayItemCanBeEncodedInZeroBytes() {
        // what makes "no more items than bytes left" refuse no valid record
        List<String> zeroSized = new ArrayList<>();
        for (TopicSpec<?> topic : new SamplingTopics(new TopicsConfig("t.", 1, (short) 1, -1, java.util.Map.of())).all()) {
            if (topic.valueSchema() != null) {
                walk(topic.valueSchema(), new HashSet<>(), zeroSized);
            }
        }
        assertThat(zeroSized).isEmpty();
    }

    private static void walk(Schema schema, Set<String> seen, List<String> zeroSized) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    schema.getFields().forEach(field -> walk(field.schema(), seen, zeroSized));
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> walk(branch, seen, zeroSized));
            case ARRAY -> {
                if (minimumBytes(schema.getElementType()) == 0) {
                    zeroSized.add(schema.toString());
                }
                walk(schema.getElementType(), seen, zeroSized);
            }
            case MAP -> walk(schema.getValueType(), seen, zeroSized); // each entry has its key: at least one byte
            default -> {
            }
        }
    }

    private static int minimumBytes(Schema schema) {
        return switch (schema.getType()) {
            case NULL -> 0;
            case FIXED -> schema.getFixedSize();
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case RECORD -> schema.getFields().stream().mapToInt(field -> minimumBytes(field.schema())).sum();
            default -> 1; // a varint, a length, a block count or a union index
        };
    }

    private interface Writing {
        void write(BinaryEncoder encoder) throws IOException;
    }

    private static byte[] bytes(Writing head, byte[] tail) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            head.write(encoder);
            encoder.flush();
            out.write(tail);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static BoundedDecoder decoder(byte[] record) {
        return new BoundedDecoder(DecoderFactory.get().binaryDecoder(record, null));
    }
}
