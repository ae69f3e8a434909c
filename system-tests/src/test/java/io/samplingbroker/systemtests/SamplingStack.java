package io.samplingbroker.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

import io.samplingbroker.admin.AdminMain;
import io.samplingbroker.approvalworker.ApprovalWorkerConfig;
import io.samplingbroker.broker.Broker;
import io.samplingbroker.broker.BrokerConfig;
import io.samplingbroker.broker.GatewaySettings;
import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.devstack.ServiceStack;
import io.samplingbroker.embeddedinfra.KafkaSecurity;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.modelworker.ModelWorkerConfig;
import io.samplingbroker.modelworker.catalogue.CatalogueFile;
import io.samplingbroker.reviewconsole.ReviewConsoleConfig;
import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.Polling;

/**
 * The real services on the test's Kafka and registry, under a topic prefix of their own, built with the dev stack's
 * {@link ServiceStack}; plus what the tests read and write beside them. Every producer of every service records
 * what it writes ({@link TopicWriteRecorder}); {@link #close()} fails the test if a service wrote a topic the
 * writers table does not give it.
 */
final class SamplingStack implements AutoCloseable {

    static final String APPROVE_ALL = "defaultAction:\n  action: approve\n";

    final KafkaSettings kafka;
    final List<Broker> brokers;
    private final ServiceStack services;
    private final TopicWrites writes;
    private final Map<String, String> adminEnvironment;
    private final Map<String, String> modelWorkerEnvironment;

    private SamplingStack(KafkaSettings kafka, ServiceStack services, TopicWrites writes,
            Map<String, String> adminEnvironment, Map<String, String> modelWorkerEnvironment) {
        this.adminEnvironment = adminEnvironment;
        this.modelWorkerEnvironment = modelWorkerEnvironment;
        this.kafka = kafka;
        this.services = services;
        this.brokers = services.brokers();
        this.writes = writes;
    }

    /**
     * @param policyYaml the approval policy
     * @param modelsYaml a model catalogue, or null for the offline model only
     * @param servers the broker's upstream servers
     * @param brokerCount broker instances to start
     * @param deadline the brokers' sampling deadline
     */
    static SamplingStack start(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, int brokerCount, Duration deadline) throws Exception {
        return start(stack, dir, policyYaml, modelsYaml, servers, brokerCount, deadline, (ReviewConsoleConfig) null);
    }

    /** As above, with the review console running as {@code console} says (null: no console). */
    static SamplingStack start(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, int brokerCount, Duration deadline, ReviewConsoleConfig console)
            throws Exception {
        return start(stack, dir, policyYaml, modelsYaml, servers, Collections.nCopies(brokerCount, deadline), console);
    }

    /** As above, with one broker instance per deadline (instance i has deadline i). */
    static SamplingStack start(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, List<Duration> brokerDeadlines, ReviewConsoleConfig console)
            throws Exception {
        return start(stack, dir, policyYaml, modelsYaml, servers, brokerDeadlines, console, GatewaySettings.loopback());
    }

    /** One broker instance whose gateway is set up as {@code gateway} says (hosts authenticating, for example). */
    static SamplingStack start(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, Duration deadline, GatewaySettings gateway) throws Exception {
        return start(stack, dir, policyYaml, modelsYaml, servers, 1, deadline, gateway);
    }

    /** One broker instance whose gateway is set up as {@code gateway} says, and the review console as {@code console}. */
    static SamplingStack start(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, Duration deadline, ReviewConsoleConfig console, GatewaySettings gateway)
            throws Exception {
        return start(stack, dir, policyYaml, modelsYaml, servers, List.of(deadline), console, gateway);
    }

    /** {@code brokerCount} broker instances, each gateway set up as {@code gateway} says. */
    static SamplingStack start(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, int brokerCount, Duration deadline, GatewaySettings gateway)
            throws Exception {
        return start(stack, dir, policyYaml, modelsYaml, servers, Collections.nCopies(brokerCount, deadline), null,
                gateway);
    }

    /** One broker instance with these sampling limits. */
    static SamplingStack start(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, SamplingLimits limits) throws Exception {
        return startWithLimits(stack, dir, policyYaml, modelsYaml, servers, List.of(limits), null,
                GatewaySettings.loopback());
    }

    private static SamplingStack start(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, List<Duration> brokerDeadlines, ReviewConsoleConfig console,
            GatewaySettings gateway) throws Exception {
        return startWithLimits(stack, dir, policyYaml, modelsYaml, servers,
                brokerDeadlines.stream().map(SamplingLimits::of).toList(), console, gateway);
    }

    private static SamplingStack startWithLimits(KafkaStack stack, Path dir, String policyYaml, String modelsYaml,
            Map<String, UpstreamSpec> servers, List<SamplingLimits> brokerLimits, ReviewConsoleConfig console,
            GatewaySettings gateway) throws Exception {
        // the test's own clients use `kafka`; the services' producers (and Kafka Streams') also record their writes
        KafkaSettings kafka = KafkaSettings.of(stack.clientSettings(), stack.schemaRegistryUrl(),
                new TopicsConfig(KafkaStack.uniqueName("e2e") + ".", 2, (short) 1, -1, Map.of()));
        String interceptor = TopicWriteRecorder.class.getName();
        KafkaSettings recorded = new KafkaSettings(kafka.common(),
                Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, interceptor), Map.of(), Map.of(),
                Map.of(StreamsConfig.producerPrefix(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG), interceptor),
                kafka.registry(), kafka.topics());
        Path policy = Files.writeString(dir.resolve("policy.yaml"), policyYaml);
        ApprovalWorkerConfig approval = ApprovalWorkerConfig.of(recorded, policy.toString())
                .withApplicationId(KafkaStack.uniqueName("approval"))
                .withStreamsSettings(Map.of("state.dir", dir.resolve("streams").toString()));
        ModelWorkerConfig models = ModelWorkerConfig.defaults(recorded).withGroupId(KafkaStack.uniqueName("models"));
        if (modelsYaml != null) {
            Path catalogue = Files.writeString(dir.resolve("models.yaml"), modelsYaml);
            models = models.withCatalogue(CatalogueFile.load(catalogue, Map.of()));
        }
        // every service as its own Kafka user, with only the ACLs provisioning gives it (the writers table)
        ServiceStack.Builder builder = ServiceStack.on(recorded).approvalWorker(approval).reviewConsole(console)
                .modelWorker(models).secured(stack.security());
        for (int i = 1; i <= brokerLimits.size(); i++) {
            builder.broker(new BrokerConfig(recorded, "e2e-broker-" + i, "127.0.0.1", 0, brokerLimits.get(i - 1),
                    Duration.ofMinutes(5), servers, gateway));
        }
        TopicWrites writes = new TopicWrites(kafka.topics().prefix(),
                List.of(approval.applicationId(), approval.reviewApplicationId()));
        ServiceStack started = builder.start(); // creates the services' Kafka users
        Map<String, String> modelWorker = new HashMap<>(stack.clientEnvironment(Service.MODEL_WORKER.id()));
        modelWorker.putAll(Map.of("SAMPLING_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "SAMPLING_TOPICS_PREFIX", kafka.topics().prefix(), "SAMPLING_GROUP_ID", models.groupId()));
        return new SamplingStack(kafka, started, writes, stack.clientEnvironment(KafkaSecurity.ADMIN_USER),
                modelWorker);
    }

    /**
     * The environment of one more model-worker of this stack run as its own process: its Kafka user, the stack's
     * registry, topics and consumer group.
     */
    Map<String, String> modelWorkerEnvironment() {
        return modelWorkerEnvironment;
    }

    Broker broker() {
        return services.broker();
    }

    String reviewConsoleUrl() {
        return services.reviewConsole().orElseThrow(() -> new IllegalStateException("no review console")).url();
    }

    /**
     * Stops the approval-worker and starts it again with an empty state directory, so whatever it knew afterwards
     * came back from Kafka (changelogs), not from local files.
     */
    void restartApprovalWorker(Path emptyStateDir) {
        services.restartApprovalWorker(config -> config.withStreamsSettings(Map.of("state.dir", emptyStateDir.toString())));
    }

    /** Which service wrote which topic role so far ({@code "broker -> requests"}, ...). */
    java.util.Set<String> topicWrites() {
        return writes.of(TopicWriteRecorder.writes());
    }

    /** What the admin command printed, and its exit status. */
    record AdminRun(int status, String out, String err) {
    }

    /**
     * Runs the admin command ({@code sampling-admin}) in-process against this stack as Kafka's admin user,
     * configured through the environment as an operator would, its producer recorded like the services' (held to the writers table).
     */
    AdminRun admin(String... args) {
        Map<String, String> environment = new java.util.HashMap<>(adminEnvironment);
        environment.putAll(Map.of(
                "SAMPLING_SCHEMA_REGISTRY_URL", kafka.registry().get(RegistrySerdeConfig.URL),
                "SAMPLING_TOPICS_PREFIX", kafka.topics().prefix(),
                "SAMPLING_KAFKA_PRODUCER_INTERCEPTOR_CLASSES", TopicWriteRecorder.class.getName()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AdminMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment, Clock.systemUTC());
        return new AdminRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Waits for a review state on the reviews topic that satisfies {@code condition}. */
    ReviewItem awaitReview(Predicate<ReviewItem> condition, Duration timeout) {
        TopicSpec<ReviewItem> reviews = kafka.samplingTopics().reviews();
        Map<String, Object> config = kafka.consumerConfig(KafkaStack.uniqueName("review-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, ReviewItem> consumer = new KafkaConsumer<>(config, reviews.keySerde().deserializer(),
                reviews.valueSerde(kafka.newRegistryClient()).deserializer())) {
            consumer.subscribe(List.of(reviews.name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ReviewItem> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && condition.test(record.value())) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("No review on " + reviews.name() + " matched within " + timeout);
    }

    /** Writes a reviewer's decision as the review console does. */
    void sendReviewCommand(ReviewCommand command) throws Exception {
        TopicSpec<ReviewCommand> commands = kafka.samplingTopics().reviewCommands();
        Map<String, Object> config = kafka.producerConfig();
        try (KafkaProducer<String, ReviewCommand> producer = new KafkaProducer<>(config, new StringSerializer(),
                commands.valueSerializer(config, kafka.newRegistryClient()))) {
            producer.send(new ProducerRecord<>(commands.name(), command.getRequestId(), command)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Every event of {@code topic} keyed {@code requestId}, in topic order, waiting up to {@code timeout} for {@code count}. */
    <V> List<V> events(TopicSpec<V> topic, String requestId, int count, Duration timeout) {
        return events(topic, requestId::equals, count, timeout);
    }

    /** Every event of {@code topic} whose key passes {@code keys}, in topic order, waiting for {@code count}. */
    <V> List<V> events(TopicSpec<V> topic, Predicate<String> keys, int count, Duration timeout) {
        Map<String, Object> config = kafka.consumerConfig(KafkaStack.uniqueName("e2e-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde(kafka.newRegistryClient()).deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            List<V> events = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (events.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : Polling.pollRecords(consumer, 1, Duration.ofMillis(200))) {
                    if (keys.test(record.key())) {
                        events.add(record.value());
                    }
                }
            }
            return events;
        }
    }

    /** The request events of {@code requestId} (not the broker's records of refusals), as {@link #events} reads them. */
    List<SamplingRequested> requested(String requestId, int count, Duration timeout) {
        return events(kafka.samplingTopics().requests(), requestId, count, timeout).stream()
                .filter(SamplingRequested.class::isInstance).map(SamplingRequested.class::cast).toList();
    }

    /** The key of the first record of {@code topic}: in a test with one request, its request id. */
    String firstKey(TopicSpec<?> topic, Duration timeout) {
        Map<String, Object> config = kafka.consumerConfig(KafkaStack.uniqueName("e2e-key-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            List<ConsumerRecord<String, byte[]>> records = Polling.pollRecords(consumer, 1, timeout);
            if (records.isEmpty()) {
                throw new AssertionError("No record on " + topic.name() + " within " + timeout);
            }
            return records.get(0).key();
        }
    }

    /** Stops the services, then fails if one of them wrote a topic the writers table does not give it. */
    @Override
    public void close() {
        services.close();
        List<String> violations = writes.violations(TopicWriteRecorder.writes());
        if (!violations.isEmpty()) {
            throw new AssertionError("Writes outside the writers table (schemas/README.md):\n  "
                    + String.join("\n  ", violations));
        }
    }
}
