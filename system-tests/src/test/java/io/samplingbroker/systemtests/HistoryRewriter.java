package io.samplingbroker.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaAcls;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.testsupport.KafkaStack;

/**
 * What someone with Kafka admin rights can do to a history: copy every sampling topic, byte for byte with keys,
 * headers and timestamps, to topics under a new prefix, editing one topic's records on the way (drop one, swap two,
 * alter one). The tamper tests audit the copy.
 */
final class HistoryRewriter {

    private final KafkaSettings kafka;
    private final KafkaAcls acls;

    /** @param acls the ACLs to give each copy's topics (null on a Kafka without an authorizer) */
    HistoryRewriter(KafkaSettings kafka, KafkaAcls acls) {
        this.kafka = kafka;
        this.acls = acls;
    }

    /** Every record of one topic, in partition then offset order. */
    List<ConsumerRecord<String, byte[]>> read(TopicSpec<?> topic) {
        Map<String, Object> config = KafkaClients.assignedReader(kafka, "history-rewriter", "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    /**
     * Copies the history to topics named {@code newPrefix + role}; {@code edit} may change the records of the topic
     * with role {@code editedRole}. Returns the copy's topics.
     */
    SamplingTopics copy(String newPrefix, String editedRole,
            UnaryOperator<List<ConsumerRecord<String, byte[]>>> edit) throws Exception {
        return copy(newPrefix, editedRole, edit, null);
    }

    /** As {@link #copy(String, String, UnaryOperator)}; with {@code only} set, copies that one topic role alone. */
    private SamplingTopics copy(String newPrefix, String editedRole,
            UnaryOperator<List<ConsumerRecord<String, byte[]>>> edit, String only) throws Exception {
        SamplingTopics from = kafka.samplingTopics();
        SamplingTopics to = new SamplingTopics(kafka.topics().withPrefix(newPrefix));
        KafkaSettings copy = new KafkaSettings(kafka.common(), kafka.producer(), kafka.consumer(), kafka.admin(),
                kafka.streams(), kafka.registry(), kafka.topics().withPrefix(newPrefix));
        TopicProvisioning.provision(copy, copy.newRegistryClient(), acls, Duration.ofSeconds(60));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (TopicSpec<?> topic : from.all()) {
                if (only != null && !only.equals(topic.role())) {
                    continue;
                }
                List<ConsumerRecord<String, byte[]>> records = read(topic);
                if (topic.role().equals(editedRole)) {
                    records = edit.apply(new ArrayList<>(records));
                }
                String target = newPrefix + topic.role();
                for (ConsumerRecord<String, byte[]> record : records) {
                    producer.send(new ProducerRecord<>(target, record.partition(), record.timestamp(), record.key(),
                            record.value(), record.headers()));
                }
            }
            producer.flush();
        }
        return to;
    }

    /** Copies the history to topics named {@code newPrefix + role}, keeping only the records {@code keep} accepts. */
    SamplingTopics copyKeeping(String newPrefix, Predicate<ConsumerRecord<String, byte[]>> keep) throws Exception {
        SamplingTopics copy = null;
        for (TopicSpec<?> topic : kafka.samplingTopics().all()) {
            copy = copy(newPrefix, topic.role(), records -> records.stream().filter(keep).toList(), topic.role());
        }
        return copy;
    }

    static String uniquePrefix(String name) {
        return KafkaStack.uniqueName(name) + ".";
    }
}
