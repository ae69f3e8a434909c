package io.samplingbroker.audit;

import static io.samplingbroker.audit.Events.T0;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;

/**
 * A hand-written history on real Kafka, for the audit's ITs: every topic of a prefix created, events written as a
 * service writes them (serialized by the topic's registry serde, which stamps the chain hash over the exact bytes,
 * following the event the writer acted on; one record at a time, acknowledged before the next, so offsets are those
 * of the order written), and the audit command run over it.
 */
final class HistoryOnKafka implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Serializer<Object>> serializers = new HashMap<>();
    private int written;

    /** What one audit command printed, and its exit status. */
    record Run(int status, String out, String err) {
    }

    @SuppressWarnings("unchecked")
    private HistoryOnKafka(KafkaSettings kafka) {
        Map<String, Object> config = kafka.producerConfig();
        SchemaRegistryClient registry = kafka.newRegistryClient();
        for (TopicSpec<?> spec : kafka.samplingTopics().all()) {
            serializers.put(spec.name(), (Serializer<Object>) spec.valueSerializer(config, registry));
        }
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Creates every topic of {@code kafka}'s prefix and opens a writer on them. */
    static HistoryOnKafka create(KafkaSettings kafka) throws Exception {
        SamplingTopics topics = kafka.samplingTopics();
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        return new HistoryOnKafka(kafka);
    }

    /** Writes {@code value} with record time T0 + {@code millis}, after {@code follows}; returns its hash. */
    byte[] write(TopicSpec<?> topic, long millis, SpecificRecord value, byte[] follows) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        EventChain.follow(headers, follows);
        byte[] bytes = serializers.get(topic.name()).serialize(topic.name(), headers, value);
        String key = value instanceof ReviewCommand command ? command.getRequestId()
                : EventContexts.of(value).getRequestId();
        producer.send(new ProducerRecord<>(topic.name(), null, T0.toEpochMilli() + millis, key, bytes, headers))
                .get(30, TimeUnit.SECONDS);
        written++;
        return EventChain.hashOf(headers);
    }

    /** How many records were written. */
    int written() {
        return written;
    }

    /** Runs {@code audit <command>} over the prefix's topics. */
    static Run audit(KafkaStack stack, String prefix, String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AuditMain.run(new String[] {command, "--config", stack.clientConfigFile("audit").toString(),
            "--bootstrap-servers", stack.bootstrapServers(),
            "--registry-url", stack.schemaRegistryUrl(), "--topic-prefix", prefix, "--timeout", "30s"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
