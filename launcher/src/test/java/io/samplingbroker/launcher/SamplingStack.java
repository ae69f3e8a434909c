package io.samplingbroker.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.samplingbroker.approval.ApprovalWorker;
import io.samplingbroker.approval.ApprovalWorkerConfig;
import io.samplingbroker.broker.Broker;
import io.samplingbroker.broker.BrokerConfig;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.console.ReviewConsole;
import io.samplingbroker.console.ReviewConsoleConfig;
import io.samplingbroker.console.ReviewConsoleServiceConfig;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.model.ModelWorker;
import io.samplingbroker.model.ModelWorkerConfig;
import io.samplingbroker.model.catalogue.CatalogueFile;
import io.samplingbroker.runtime.KafkaSettings;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.testing.KafkaStack;
import io.samplingbroker.testing.Polling;

/** All three real services on the test's Kafka and registry, under a topic prefix of their own. */
final class SamplingStack implements AutoCloseable {

    static final String APPROVE_ALL = "defaultAction:\n  action: approve\n";

    final KafkaSettings kafka;
    final List<Broker> brokers = new ArrayList<>();
    private final List<AutoCloseable> services = new ArrayList<>();
    private ApprovalWorkerConfig approvalConfig;
    private ApprovalWorker approval;
    private ReviewConsole console;

    private SamplingStack(KafkaSettings kafka) {
        this.kafka = kafka;
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
        return start(stack, dir, policyYaml, modelsYaml, servers, brokerCount, deadline, null);
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
        KafkaSettings kafka = KafkaSettings.of(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                new TopicsConfig(KafkaStack.uniqueName("e2e") + ".", 2, (short) 1, -1, Map.of()));
        SamplingStack running = new SamplingStack(kafka);
        try {
            Path policy = Files.writeString(dir.resolve("policy.yaml"), policyYaml);
            String appId = KafkaStack.uniqueName("approval");
            running.approvalConfig = ApprovalWorkerConfig.of(kafka, policy.toString()).withApplicationId(appId)
                    .withStreamsSettings(Map.of("state.dir", dir.resolve("streams").toString()));
            running.approval = ApprovalWorker.start(running.approvalConfig);
            if (console != null) {
                running.console = ReviewConsole.start(new ReviewConsoleServiceConfig(kafka, console));
                running.services.add(running.console);
            }
            ModelWorkerConfig models = ModelWorkerConfig.defaults(kafka).withGroupId(KafkaStack.uniqueName("models"));
            if (modelsYaml != null) {
                Path catalogue = Files.writeString(dir.resolve("models.yaml"), modelsYaml);
                models = models.withCatalogue(CatalogueFile.load(catalogue, Map.of()));
            }
            running.services.add(ModelWorker.start(models));
            for (int i = 1; i <= brokerDeadlines.size(); i++) {
                Broker broker = Broker.start(new BrokerConfig(kafka, "e2e-broker-" + i, "127.0.0.1", 0,
                        brokerDeadlines.get(i - 1), Duration.ofMinutes(5), servers));
                running.brokers.add(broker);
                running.services.add(broker);
            }
            return running;
        } catch (Exception e) {
            running.close();
            throw e;
        }
    }

    Broker broker() {
        return brokers.get(0);
    }

    String reviewConsoleUrl() {
        if (console == null) {
            throw new IllegalStateException("no review console");
        }
        return console.url();
    }

    /**
     * Stops the approval-worker and starts it again with an empty state directory, so whatever it knew afterwards
     * came back from Kafka (changelogs), not from local files.
     */
    void restartApprovalWorker(Path emptyStateDir) {
        approval.close();
        approval = null;
        approvalConfig = approvalConfig.withStreamsSettings(Map.of("state.dir", emptyStateDir.toString()));
        approval = ApprovalWorker.start(approvalConfig);
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
        Map<String, Object> config = kafka.consumerConfig(KafkaStack.uniqueName("e2e-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde(kafka.newRegistryClient()).deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            List<V> events = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (events.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : Polling.pollRecords(consumer, 1, Duration.ofMillis(200))) {
                    if (record.key().equals(requestId)) {
                        events.add(record.value());
                    }
                }
            }
            return events;
        }
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

    @Override
    public void close() {
        if (approval != null) {
            services.add(0, approval);
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                System.err.println("Stopping " + services.get(i) + " failed: " + e);
            }
        }
    }
}
