package io.samplingbroker.broker.sampling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

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

import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.schemas.registry.DeserializationFailure;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;

/**
 * Reads the results topic and hands each result routed to this instance, with its chain hash, to {@code onResult}.
 *
 * <p>Every broker instance reads every partition of the results topic (assigned, not a consumer group) from the
 * end as of its start, and keeps only the results routed to it: the request's reply route names the broker instance
 * holding the server's session. Any number of instances can share a cluster without a coordinator, and a result
 * can never reach another instance's session. See the module README for the trade-off.
 */
final class ResultRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultRouter.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final Consumer<String, SamplingResolved> consumer;
    private final String instanceId;
    private final BiConsumer<SamplingResolved, byte[]> onResult;
    private final UnreadableRecords unreadable;
    private final FailureSignal failures;
    private final Thread thread = new Thread(this::run, "sampling-result-router");
    private volatile boolean running = true;
    private volatile boolean started;

    /** Takes every partition of {@code resultsTopic} and its end offsets; blocking, so call it at start-up. */
    ResultRouter(Consumer<String, SamplingResolved> consumer, String resultsTopic, String instanceId,
            BiConsumer<SamplingResolved, byte[]> onResult, UnreadableRecords unreadable, FailureSignal failures) {
        this.consumer = consumer;
        this.instanceId = instanceId;
        this.onResult = onResult;
        this.unreadable = unreadable;
        this.failures = failures;
        List<TopicPartition> partitions = consumer.partitionsFor(resultsTopic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("Results topic " + resultsTopic + " has no partitions");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, before any request is published, so no early result is skipped.
        partitions.forEach(consumer::position);
    }

    /** A Kafka consumer outside any consumer group, reading the results with the topic's value deserializer. */
    static ResultRouter connect(KafkaSettings kafka, TopicSpec<SamplingResolved> results, SchemaRegistryClient registry,
            String instanceId, BiConsumer<SamplingResolved, byte[]> onResult, UnreadableRecords unreadable,
            FailureSignal failures) {
        Map<String, Object> config = KafkaClients.assignedConsumer(kafka, Service.BROKER, "results", "latest");
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50); // answers wait for no batch
        KafkaConsumer<String, SamplingResolved> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                results.valueDeserializer(config, registry));
        try {
            return new ResultRouter(consumer, results.name(), instanceId, onResult, unreadable, failures);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            throw e;
        }
    }

    /** Routes results on the router's own thread until closed. */
    void start() {
        started = true;
        thread.start();
    }

    /**
     * One poll of the results topic. The router's thread loops on it; it is not private so that tests can route
     * results without that thread.
     */
    void pollOnce(Duration timeout) {
        try {
            for (ConsumerRecord<String, SamplingResolved> record : consumer.poll(timeout)) {
                SamplingResolved result = record.value();
                if (result != null && instanceId.equals(result.getContext().getReplyRoute().getBrokerInstanceId())) {
                    onResult.accept(result, EventChain.hashOf(record.headers()));
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
            LOG.error("Result router stopped: results can no longer reach this instance's sessions", e);
            failures.fail("the result reader", e);
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
