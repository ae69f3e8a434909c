package io.samplingbroker.audit;

import static io.samplingbroker.audit.Events.T0;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaAcls;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
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

    /** Provisions {@code kafka}'s prefix ({@link #provision}) and opens a writer on its topics. */
    static HistoryOnKafka create(KafkaStack stack, KafkaSettings kafka) {
        provision(stack, kafka);
        return new HistoryOnKafka(kafka);
    }

    /**
     * Provisions {@code kafka}'s prefix as a deployment does (topics, schemas and, on the secured Kafka, the writers
     * table's ACLs), with the audit's own user: the audit command then reads with the audit's rights only.
     */
    static void provision(KafkaStack stack, KafkaSettings kafka) {
        KafkaAcls acls = null;
        if (stack.security() != null) {
            try (Admin admin = Admin.create(kafka.adminConfig())) {
                stack.security().addUsers(admin, List.of(AUDIT_USER));
            }
            acls = KafkaAcls.withDefaultPrincipals(KafkaAcls.DEFAULT_MODEL_WORKER_GROUP,
                    KafkaAcls.DEFAULT_APPROVAL_APPLICATION_ID);
        }
        TopicProvisioning.provision(kafka, kafka.newRegistryClient(), acls, Duration.ofSeconds(60));
    }

    /** The audit's Kafka user (its principal {@link KafkaAcls#AUDIT_PRINCIPAL} reads every topic). */
    static final String AUDIT_USER = "audit";

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
        int status = AuditMain.run(new String[] {command, "--config", stack.clientConfigFile(AUDIT_USER).toString(),
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
