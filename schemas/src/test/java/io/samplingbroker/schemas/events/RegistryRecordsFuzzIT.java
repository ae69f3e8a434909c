package io.samplingbroker.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.MethodSource;

import io.samplingbroker.schemas.registry.AvroRegistrySerde;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryException;
import io.samplingbroker.schemas.registry.WireFormatException;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * Coverage-guided, against a real schema registry: any bytes on any topic of the catalogue, read by that topic's
 * registry deserializer (magic byte, schema id, Avro body resolved against the topic's schema). The input's first byte
 * picks the topic; the rest is the record. Each record decodes to an event of the topic, which writes and reads back
 * equal, or is refused with the documented {@link WireFormatException} or {@link SchemaRegistryException} (a Kafka
 * {@link SerializationException}, which the consumer turns into a dead letter). Anything else, an {@link Error} above
 * all (a length field claiming gigabytes, a stack overflow), would kill a service's consumer: a finding. The seeds are
 * every event type of every topic, written by the topic's own serializer.
 */
@ExtendWith(KafkaStackExtension.class)
class RegistryRecordsFuzzIT {

    private static final List<Topic<?>> TOPICS = new ArrayList<>();
    private static final List<byte[]> SEEDS = new ArrayList<>();

    /** One topic's serializer and deserializer, on the shared registry client. */
    private record Topic<V>(TopicSpec<V> spec, Serializer<V> serializer, Deserializer<V> deserializer) {

        static <V> Topic<V> of(TopicSpec<V> spec, SchemaRegistryClient registry) {
            AvroRegistrySerde<V> serde = new AvroRegistrySerde<>(spec.valueSchema(), registry);
            return new Topic<>(spec, serde.serializer(), serde.deserializer());
        }

        @SuppressWarnings("unchecked")
        byte[] write(Object event) {
            return serializer.serialize(spec.name(), (V) event);
        }
    }

    @BeforeAll
    static void registerEverySchema(KafkaStack stack) {
        SchemaRegistryClient registry = EventClients.registry(stack);
        SamplingTopics topics = new SamplingTopics(new TopicsConfig(KafkaStack.uniqueName("fuzz") + ".", 1, (short) 1,
                -1, Map.of()));
        Map<TopicSpec<?>, List<? extends SpecificRecord>> samples = Map.of(
                topics.requests(), List.of(SampleEvents.requested("r-1")),
                topics.decisions(), List.of(SampleEvents.amended("r-1"), SampleEvents.denied("r-2")),
                topics.completions(), List.of(SampleEvents.completed("r-1"), SampleEvents.failed("r-2")),
                topics.results(), List.of(SampleEvents.resolvedWithResult("r-1"), SampleEvents.resolvedWithError("r-2")),
                topics.lifecycle(), List.of(SampleEvents.delivered("r-1"), SampleEvents.cancelled("r-2"),
                        SampleEvents.expired("r-3"), SampleEvents.abandoned("r-4")),
                topics.reviewCommands(), List.of(SampleEvents.reviewEdit("r-1")),
                topics.reviews(), List.of(SampleEvents.reviewedResponse("r-1")),
                topics.hostKeys(), List.of(SampleEvents.hostKey("k-1")));
        TOPICS.clear();
        SEEDS.clear();
        for (TopicSpec<?> spec : topics.all()) {
            if (spec.valueSchema() == null) {
                continue; // dead letters: raw bytes, nothing to decode
            }
            Topic<?> topic = Topic.of(spec, registry);
            byte index = (byte) TOPICS.size();
            TOPICS.add(topic);
            for (SpecificRecord sample : samples.get(spec)) {
                byte[] record = topic.write(sample);
                byte[] seed = new byte[record.length + 1];
                seed[0] = index;
                System.arraycopy(record, 0, seed, 1, record.length);
                SEEDS.add(seed);
            }
        }
    }

    static Stream<byte[]> events() {
        return SEEDS.stream();
    }

    @MethodSource("events")
    @FuzzTest
    void givenAnyBytesOnAnyTopic_whenDeserialized_thenAnEventOfTheTopicOrAWireFormatRefusal(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Topic<?> topic = TOPICS.get(Math.floorMod(input[0], TOPICS.size()));
        byte[] record = Arrays.copyOfRange(input, 1, input.length);
        Object event;
        try {
            event = topic.deserializer().deserialize(topic.spec().name(), record);
        } catch (WireFormatException | SchemaRegistryException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(event).isInstanceOf(SpecificRecord.class);
        Object again = topic.deserializer().deserialize(topic.spec().name(), topic.write(event));
        assertThat(again).isEqualTo(event);
    }
}
