package io.samplingbroker.broker.sampling;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;

/**
 * Kafka's own mock clients set up as the broker's real ones are: the producer's serializer stamps the chain hash into
 * each record's headers as every topic serializer does, and the consumer holds the completions and results topics'
 * partitions.
 * Values are written as their text, not Avro, so no schema registry is needed; the records keep the event objects.
 */
final class MockKafka {

    static final int RESULT_PARTITIONS = 2;
    private static final Node NODE = new Node(0, "localhost", 9092);
    private static final Serializer<Object> AS_TEXT = (topic, value) -> value.toString().getBytes(StandardCharsets.UTF_8);

    private MockKafka() {
    }

    /** Acknowledges every send at once. */
    static MockProducer<String, Object> producer(SamplingTopics topics) {
        return new MockProducer<>(cluster(topics), true, null, new StringSerializer(), EventChain.stamping(AS_TEXT));
    }

    /** With the topics in its cluster, MockProducer serializes into the record's own headers, as KafkaProducer does. */
    private static Cluster cluster(SamplingTopics topics) {
        List<PartitionInfo> partitions = topics.all().stream()
                .map(topic -> new PartitionInfo(topic.name(), 0, NODE, new Node[] {NODE}, new Node[] {NODE})).toList();
        return new Cluster("unit", List.of(NODE), partitions, Set.of(), Set.of());
    }

    /** The completions and results topics, empty: every partition ends at offset 0. */
    /**
     * A producer that refuses, as Kafka's does before sending anything, every record whose value is longer than
     * {@code maxChars} once written as text: a {@code RecordTooLargeException} to the callback and in the future.
     */
    static MockProducer<String, Object> producerWithRecordLimit(SamplingTopics topics, int maxChars) {
        return new MockProducer<String, Object>(cluster(topics), true, null, new StringSerializer(),
                EventChain.stamping(AS_TEXT)) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, Object> record, Callback callback) {
                int size = AS_TEXT.serialize(record.topic(), record.value()).length;
                if (size <= maxChars) {
                    return super.send(record, callback);
                }
                RecordTooLargeException tooLarge = new RecordTooLargeException("The message is " + size
                        + " bytes when serialized which is larger than " + maxChars + ", which is the value of the "
                        + "max.request.size configuration.");
                callback.onCompletion(null, tooLarge);
                return CompletableFuture.failedFuture(tooLarge);
            }
        };
    }

    static MockConsumer<String, SpecificRecord> answersConsumer(SamplingTopics topics) {
        MockConsumer<String, SpecificRecord> consumer = new MockConsumer<>("latest");
        for (String name : List.of(topics.completions().name(), topics.results().name())) {
            consumer.updatePartitions(name, IntStream.range(0, RESULT_PARTITIONS)
                    .mapToObj(p -> new PartitionInfo(name, p, NODE, new Node[] {NODE}, new Node[] {NODE})).toList());
            consumer.updateEndOffsets(IntStream.range(0, RESULT_PARTITIONS).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(name, p), p -> 0L)));
        }
        return consumer;
    }

    /** A result as the approval-worker writes it, carrying {@code chainHash} in its headers. */
    static ConsumerRecord<String, SpecificRecord> resultRecord(SamplingTopics topics, int partition, long offset,
            SamplingResolved result, byte[] chainHash) {
        return record(topics.results().name(), partition, offset, result, result.getContext().getRequestId(), chainHash);
    }

    /** A completion or failure as the model-worker writes it, carrying {@code chainHash} in its headers. */
    static ConsumerRecord<String, SpecificRecord> completionRecord(SamplingTopics topics, int partition, long offset,
            SpecificRecord outcome, byte[] chainHash) {
        return record(topics.completions().name(), partition, offset, outcome,
                EventContexts.of(outcome).getRequestId(), chainHash);
    }

    private static ConsumerRecord<String, SpecificRecord> record(String topic, int partition, long offset,
            SpecificRecord value, String key, byte[] chainHash) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventChain.HASH, chainHash);
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME, -1, -1, key, value, headers,
                Optional.empty());
    }

    /** The records sent to {@code topic} so far. */
    static List<ProducerRecord<String, Object>> sentTo(MockProducer<String, Object> producer, String topic) {
        return producer.history().stream().filter(record -> record.topic().equals(topic)).toList();
    }

    /**
     * Waits (at most 5 s) until {@code count} records were sent to {@code topic}: the publisher sends on its own
     * thread. Returns what was sent, which a test then checks.
     */
    static List<ProducerRecord<String, Object>> awaitSent(MockProducer<String, Object> producer, String topic, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<ProducerRecord<String, Object>> sent = sentTo(producer, topic);
        while (sent.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
            sent = sentTo(producer, topic);
        }
        return sent;
    }
}
