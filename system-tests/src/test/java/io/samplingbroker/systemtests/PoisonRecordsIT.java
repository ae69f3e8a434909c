package io.samplingbroker.systemtests;

import static io.samplingbroker.systemtests.AuditHistory.append;
import static io.samplingbroker.systemtests.AuditHistory.audit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.reviewconsole.PasswordHashing;
import io.samplingbroker.reviewconsole.ReviewConsoleConfig;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import io.samplingbroker.systemtests.AuditHistory.Output;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * Poison on every topic a service consumes, with the real services running: a record that does not decode, one
 * written with another topic's schema, and one no service wrote (a copy of a real event without its chain hash).
 * Each is set aside on the dead-letters topic with its source topic, partition, offset, the service and the reason;
 * the pipeline goes on answering; and {@code sampling-audit dead-letters} lists them.
 */
@ExtendWith(KafkaStackExtension.class)
class PoisonRecordsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CONSUMED = List.of(SamplingTopics.REQUESTS, SamplingTopics.DECISIONS,
            SamplingTopics.COMPLETIONS, SamplingTopics.RESULTS, SamplingTopics.LIFECYCLE,
            SamplingTopics.REVIEW_COMMANDS, SamplingTopics.REVIEWS);
    /** The topics that hold a real event once a request has been answered: their copies are the unknown producer's. */
    private static final List<String> WITH_EVENTS = List.of(SamplingTopics.REQUESTS, SamplingTopics.DECISIONS,
            SamplingTopics.COMPLETIONS, SamplingTopics.LIFECYCLE);

    @Test
    void givenPoisonOnEveryConsumedTopic_whenTheServicesReadIt_thenEachIsSetAsideAndRequestsAreStillAnswered(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        ReviewConsoleConfig console = ReviewConsoleConfig.of(Map.of("alice",
                PasswordHashing.hash("correct horse battery".toCharArray())));
        try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null,
                EndToEndIT.stdioEverything(), 1, Duration.ofSeconds(30), console)) {
            SamplingTopics topics = services.kafka.samplingTopics();
            ask(services, "before the poison");
            Map<String, byte[]> events = new HashMap<>();
            for (String role : WITH_EVENTS) { // read before any poison is written
                events.put(role, firstValue(services, name(topics, role)));
            }
            byte[] request = events.get(SamplingTopics.REQUESTS);
            byte[] decision = events.get(SamplingTopics.DECISIONS);

            // When
            List<Poison> poisoned = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(services.kafka.producerConfig(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (String role : CONSUMED) {
                    String topic = name(topics, role);
                    poisoned.add(send(producer, topic, role, "undecodable",
                            "{\"not\":\"Avro\"}".getBytes(StandardCharsets.UTF_8), true));
                    poisoned.add(send(producer, topic, role, "other-schema",
                            role.equals(SamplingTopics.REQUESTS) ? decision : request, true));
                    if (WITH_EVENTS.contains(role)) {
                        poisoned.add(send(producer, topic, role, "unknown-producer", events.get(role), false));
                    }
                }
                producer.flush();
            }

            // Then every poison record was set aside by a service that reads its topic
            String[] audit = AuditHistory.connection(stack, services.kafka.topics().prefix());
            List<JsonNode> letters = awaitDeadLetters(audit, poisoned);
            for (Poison poison : poisoned) {
                assertThat(letters).as(poison.key()).anySatisfy(letter -> {
                    assertThat(letter.path("key").asText()).isEqualTo(poison.key());
                    assertThat(letter.path("sourceTopic").asText()).isEqualTo(poison.topic());
                    assertThat(letter.path("sourceOffset").asText()).isEqualTo(Long.toString(poison.offset()));
                    assertThat(letter.path("service").asText()).isIn("broker", "approval-worker", "model-worker",
                            "review-console");
                    assertThat(letter.path("reason").asText()).contains(poison.expectedReason());
                });
            }
            // and the pipeline goes on
            ask(services, "after the poison");
        }
    }

    /** One poison record: where it was written, and what kind it is. */
    private record Poison(String key, String topic, long offset, String kind) {

        String expectedReason() {
            return switch (kind) {
                case "unknown-producer" -> "not written by the sampling services";
                case "undecodable" -> "magic byte";
                default -> "written with another topic's schema";
            };
        }
    }

    private static void ask(SamplingStack services, String prompt) {
        TestPeers.ClientResult result = TestPeers.runClient(List.of("http", services.broker().mcpUrl("everything"),
                prompt, "50"), Map.of("HOST_ID", "poison-host"), EndToEndIT.CLIENT_TIMEOUT);
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).contains("offline-echo").contains(prompt);
    }

    private static String name(SamplingTopics topics, String role) {
        return topics.all().stream().filter(t -> t.role().equals(role)).findFirst().orElseThrow().name();
    }

    /** Sends {@code value} raw; {@code chained}: with a chain hash over its bytes, as a service would stamp it. */
    private static Poison send(KafkaProducer<byte[], byte[]> producer, String topic, String role, String kind,
            byte[] value, boolean chained) throws Exception {
        String key = "poison-" + role + "-" + kind;
        Headers headers = new RecordHeaders();
        if (chained) {
            headers.add(EventChain.HASH, EventChain.hash(null, value));
        }
        long offset = producer.send(new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value,
                headers)).get(30, TimeUnit.SECONDS).offset();
        return new Poison(key, topic, offset, kind);
    }

    private static byte[] firstValue(SamplingStack services, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.assignedReader(services.kafka,
                "poison-reader", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + EndToEndIT.EVENTS_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("No event on " + topic);
    }

    /** The audit's listing of the dead letters, once it names every poisoned key. */
    private static List<JsonNode> awaitDeadLetters(String[] connection, List<Poison> poisoned) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JsonNode> letters = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Output output = audit(append(connection, "dead-letters", "--format", "jsonl"));
            assertThat(output.status()).as(output.err()).isZero();
            letters.clear();
            for (String line : output.out().split("\n")) {
                if (!line.isBlank()) {
                    letters.add(JSON.readTree(line));
                }
            }
            if (poisoned.stream().allMatch(p -> letters.stream().anyMatch(l -> l.path("key").asText().equals(p.key())))) {
                return letters;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Not every poison record was set aside within 60 s: " + letters);
    }
}
