package io.samplingbroker.broker.sampling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.registry.DeserializationFailure;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import io.samplingbroker.serviceruntime.service.FailureSignal;

/**
 * Reads the answers to this instance's requests and hands each, with its chain hash, to {@code onAnswer}: the
 * model's completions (a {@code SamplingCompleted} or {@code SamplingFailed} routed straight to the broker) and the
 * approval-worker's results (a denial, or a reviewed response). A completion whose reply route goes to review is not
 * an answer yet: the review stage writes the answer to results once a reviewer released it.
 *
 * <p>Every broker instance reads every partition of both topics (assigned, not a consumer group) from the end as
 * of its start, and keeps only the answers routed to it: the request's reply route names the broker instance
 * holding the server's session. Any number of instances can share a cluster without a coordinator, and an answer
 * can never reach another instance's session. See the module README for the trade-off.
 */
final class AnswerRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerRouter.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final Consumer<String, SpecificRecord> consumer;
    private final SamplingTopics topics;
    private final String instanceId;
    private final BiConsumer<SpecificRecord, byte[]> onAnswer;
    private final UnreadableRecords unreadable;
    private final FailureSignal failures;
    private final Thread thread = new Thread(this::run, "sampling-answer-router");
    private volatile boolean running = true;
    private volatile boolean started;

    /** Takes every partition of the completions and results topics and their end offsets; blocking, so call it at start-up. */
    AnswerRouter(Consumer<String, SpecificRecord> consumer, SamplingTopics topics, String instanceId,
            BiConsumer<SpecificRecord, byte[]> onAnswer, UnreadableRecords unreadable, FailureSignal failures) {
        this.consumer = consumer;
        this.topics = topics;
        this.instanceId = instanceId;
        this.onAnswer = onAnswer;
        this.unreadable = unreadable;
        this.failures = failures;
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicSpec<?> topic : List.of(topics.completions(), topics.results())) {
            List<TopicPartition> ofTopic = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (ofTopic.isEmpty()) {
                throw new IllegalStateException(Character.toUpperCase(topic.role().charAt(0)) + topic.role().substring(1)
                        + " topic " + topic.name() + " has no partitions");
            }
            partitions.addAll(ofTopic);
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, before any request is published, so no early answer is skipped.
        partitions.forEach(consumer::position);
    }

    /** A Kafka consumer outside any consumer group, reading both topics with each topic's value deserializer. */
    static AnswerRouter connect(KafkaSettings kafka, SamplingTopics topics, SchemaRegistryClient registry,
            String instanceId, BiConsumer<SpecificRecord, byte[]> onAnswer, UnreadableRecords unreadable,
            FailureSignal failures) {
        Map<String, Object> config = KafkaClients.assignedConsumer(kafka, Service.BROKER, "answers", "latest");
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50); // answers wait for no batch
        KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new TopicDeserializers(Map.of(topics.completions().name(), topics.completions().valueDeserializer(config, registry),
                        topics.results().name(), topics.results().valueDeserializer(config, registry))));
        try {
            return new AnswerRouter(consumer, topics, instanceId, onAnswer, unreadable, failures);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            throw e;
        }
    }

    private boolean isAnswerForThisInstance(ConsumerRecord<String, SpecificRecord> record) {
        SamplingContext context = EventContexts.of(record.value());
        if (context == null || !instanceId.equals(context.getReplyRoute().getBrokerInstanceId())) {
            return false;
        }
        boolean fromModel = record.topic().equals(topics.completions().name());
        return !fromModel || !ReplyRoutes.goesToReview(context, topics);
    }

    /** Routes answers on the router's own thread until closed. */
    void start() {
        started = true;
        thread.start();
    }

    /**
     * One poll of both topics. The router's thread loops on it; it is not private so that tests can route
     * results without that thread.
     */
    void pollOnce(Duration timeout) {
        try {
            for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(timeout)) {
                if (isAnswerForThisInstance(record)) {
                    onAnswer.accept(record.value(), EventChain.hashOf(record.headers()));
                }
            }
        } catch (RecordDeserializationException e) {
            if (e.getCause() instanceof SchemaRegistryUnavailableException) {
                // the record is fine: read it again once the registry answers rather than lose an answer
                LOG.warn("Cannot read {}@{} while the schema registry is unreachable; retrying: {}", e.topicPartition(),
                        e.offset(), e.getCause().getMessage());
                consumer.seek(e.topicPartition(), e.offset());
                pauseQuietly();
                return;
            }
            String described = DeserializationFailure.of(e).describe();
            LOG.error("{}; set aside on the dead-letter topic", described);
            unreadable.setAside(e, described);
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private void run() {
        try {
            while (running) {
                pollOnce(POLL_TIMEOUT);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("Answer router stopped: answers can no longer reach this instance's sessions", e);
            failures.fail("the answer reader", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void pauseQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Where records that cannot be read go instead of being dropped. */
    @FunctionalInterface
    interface UnreadableRecords {
        void setAside(RecordDeserializationException failure, String reason);
    }

    @Override
    public void close() {
        if (!started) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
