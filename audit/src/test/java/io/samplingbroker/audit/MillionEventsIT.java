package io.samplingbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * The memory and throughput measurement: 200,000 requests of five events each (1,000,000 records, Avro through the
 * registry, ~300-character prompts) over 5.5 hours of synthetic history, then {@code summary --stats} in a separate
 * JVM with a 128 MiB heap ({@code -Daudit.million.heap=64m} for another). Only on demand:
 * {@code mvn -pl audit verify -Dit.test=MillionEventsIT -Daudit.million=true}.
 */
@ExtendWith(KafkaStackExtension.class)
@EnabledIfSystemProperty(named = "audit.million", matches = "true")
class MillionEventsIT {

    /** 200,000 requests of 5 events; {@code -Daudit.million.requests=N} for another size (to compare peaks). */
    static final int REQUESTS = Integer.getInteger("audit.million.requests", 200_000);
    static final String HEAP = "-Xmx" + System.getProperty("audit.million.heap", "128m");

    @Test
    void givenAMillionEvents_whenSummarisedInA128MiBHeap_thenEveryRequestIsCountedAndThroughputAndPeakHeapAreReported(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        // Given
        KafkaSettings kafka = KafkaSettings.of(stack.clientSettings(), stack.schemaRegistryUrl(),
                new TopicsConfig(KafkaStack.uniqueName("million") + ".", 6, (short) 1, -1, Map.of()));
        SamplingTopics topics = kafka.samplingTopics();
        HistoryOnKafka.provision(stack, kafka);
        long generating = System.nanoTime();
        generate(kafka, topics);
        System.out.printf("generated %,d records in %.1f s%n", REQUESTS * 5L, (System.nanoTime() - generating) / 1e9);
        // When
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the audit's own logging (warnings to stderr), not the test class path's
                HEAP, "-Dlog4j2.configurationFile=log4j2.xml", "-cp", System.getProperty("java.class.path"), AuditMain.class.getName(), "summary", "--format", "jsonl",
                "--stats", "--config", stack.clientConfigFile(HistoryOnKafka.AUDIT_USER).toString(), "--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.schemaRegistryUrl(),
                "--topic-prefix", kafka.topics().prefix()));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        assertThat(process.waitFor(15, TimeUnit.MINUTES)).isTrue();
        // Then
        String out = read(dir.resolve("stdout.txt"));
        String err = read(dir.resolve("stderr.txt"));
        System.out.println("audit summary (" + HEAP + "): " + out.strip());
        System.out.println(err.strip());
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(out).contains("\"requests\":" + REQUESTS).contains("\"approved\":" + REQUESTS);
        assertThat(err).contains(String.format(java.util.Locale.ROOT, "stats: %,d records", REQUESTS * 5L));
    }

    private static void generate(KafkaSettings kafka, SamplingTopics topics) throws Exception {
        Map<String, Object> config = kafka.producerConfig();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        SchemaRegistryClient registry = kafka.newRegistryClient();
        String prompt = "Summarise the customer's last three tickets and suggest a reply. ".repeat(5);
        Instant start = Instant.now().minusSeconds(2 * 24 * 3600);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(),
                new RoleSerializer(topics, config, registry))) {
            for (int i = 0; i < REQUESTS; i++) {
                Instant at = start.plusMillis(i * 100L);
                SamplingContext c = Events.context(String.format("req-%08d", i), "host-" + i % 50, "server-" + i % 7,
                        at, at.plusSeconds(30));
                long t = at.toEpochMilli();
                send(producer, topics.requests(), t, c, Events.requested(c, prompt + i));
                send(producer, topics.decisions(), t + 5, c, Events.decided(c, 0, Decision.APPROVED,
                        DeciderKind.DEFAULT_ACTION, "defaultAction", null, List.of()));
                send(producer, topics.completions(), t + 40, c, Events.completed(c, 0, "offline-echo", 60, 12));
                send(producer, topics.results(), t + 41, c, Events.resolvedResult(c, 0, "offline-echo"));
                send(producer, topics.lifecycle(), t + 45 + i % 20, c, Events.delivered(c, 0, null));
            }
            producer.flush();
        }
    }

    /** Events' builders stamp times relative to their T0; here each record's time is set from its request's. */
    private static void send(KafkaProducer<String, Object> producer, TopicSpec<?> topic, long timestamp,
            SamplingContext c, org.apache.avro.specific.SpecificRecordBase event) {
        event.put("occurredAt", Instant.ofEpochMilli(timestamp));
        producer.send(new ProducerRecord<>(topic.name(), null, timestamp, c.getRequestId(), event));
    }

    private static String read(Path file) throws IOException {
        return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Serializes each value with its topic's registry serde (one producer for all topics). */
    private static final class RoleSerializer implements org.apache.kafka.common.serialization.Serializer<Object> {
        private final Map<String, org.apache.kafka.common.serialization.Serializer<?>> byTopic = new java.util.HashMap<>();

        RoleSerializer(SamplingTopics topics, Map<String, Object> config, SchemaRegistryClient registry) {
            for (TopicSpec<?> spec : topics.all()) {
                byTopic.put(spec.name(), spec.valueSerializer(config, registry));
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public byte[] serialize(String topic, Object data) {
            return ((org.apache.kafka.common.serialization.Serializer<Object>) byTopic.get(topic)).serialize(topic, data);
        }
    }
}
