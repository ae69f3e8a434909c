package io.samplingbroker.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.schemas.registry.DeserializationFailure;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * Corrupted bytes on a topic: each bad record fails with an error naming topic, partition, offset and the cause,
 * and a consumer that skips it goes on to read the good records after it.
 */
@ExtendWith(KafkaStackExtension.class)
class CorruptRecordIT {

    @Test
    void givenBadMagicUnknownIdAndTruncatedRecords_whenConsumed_thenEachIsDescribedPreciselyAndGoodRecordsStillArrive(
            KafkaStack stack) throws Exception {
        // Given
        SamplingTopics topics = new SamplingTopics(new TopicsConfig(KafkaStack.uniqueName("corrupt") + ".", 1, (short) 1,
                -1, Map.of()));
        String topic = topics.requests().name();
        SchemaRegistryClient registry = EventClients.registry(stack);
        try (Admin admin = Admin.create(stack.clientConfig())) {
            TopicProvisioner.ensureTopics(admin, List.of(topics.requests())).toCompletableFuture().get();
        }
        byte[] good;
        try (KafkaProducer<String, SpecificRecord> producer = EventClients.producer(stack, topics.requests(), registry)) {
            producer.send(new ProducerRecord<>(topic, "good-1", SampleEvents.requested("good-1"))).get(); // offset 0
        }
        good = topics.requests().valueSerde(registry).serializer().serialize(topic, SampleEvents.requested("good-2"));
        byte[] truncated = java.util.Arrays.copyOf(good, 40);
        byte[] unknownId = good.clone();
        unknownId[1] = 0x7f; // schema id 0x7f......: never registered
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(stack.clientConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            // each chained as a service would, so that what fails is the decoding, not the chain check
            raw.send(chained(topic, "json", "{\"not\":\"avro\"}".getBytes())).get(); // offset 1
            raw.send(chained(topic, "unknown-id", unknownId)).get();                  // offset 2
            raw.send(chained(topic, "truncated", truncated)).get();                   // offset 3
            raw.send(chained(topic, "good-2", good)).get();                           // offset 4
        }
        // When
        List<DeserializationFailure> failures = new ArrayList<>();
        List<String> goodKeys = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = EventClients.consumer(stack, topics.requests(), registry)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (goodKeys.size() < 2 && System.nanoTime() < deadline) {
                try {
                    for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(100))) {
                        goodKeys.add(record.key());
                    }
                } catch (RecordDeserializationException e) {
                    failures.add(DeserializationFailure.of(e));
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        // Then
        assertThat(goodKeys).containsExactly("good-1", "good-2");
        assertThat(failures).extracting(DeserializationFailure::offset).containsExactly(1L, 2L, 3L);
        assertThat(failures).allSatisfy(f -> {
            assertThat(f.topic()).isEqualTo(topic);
            assertThat(f.partition()).isZero();
            assertThat(f.part()).isEqualTo("value");
        });
        assertThat(failures.get(0).describe()).isEqualTo("Cannot deserialize the value of the record at topic '" + topic
                + "' partition 0 offset 1: Unknown magic byte 0x7b in a record on topic '" + topic + "': expected 0x00 "
                + "(Confluent wire format); the record was not written by a schema-registry serializer");
        assertThat(failures.get(1).describe()).contains("offset 2: Unknown schema id " + (0x7f000000 | (good[2] & 0xff) << 16
                | (good[3] & 0xff) << 8 | (good[4] & 0xff)));
        assertThat(failures.get(2).describe()).contains("offset 3: Cannot decode a record on topic '" + topic
                + "' with schema id").contains("the Avro body is corrupt");
    }

    private static ProducerRecord<String, byte[]> chained(String topic, String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventChain.HASH, EventChain.hash(null, value));
        return new ProducerRecord<>(topic, null, key, value, headers);
    }
}
