package io.samplingbroker.broker.sampling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.CloseOptions;
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
import io.samplingbroker.runtime.KafkaSettings;
import io.samplingbroker.schemas.registry.DeserializationFailure;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.TopicSpec;

/**
 * Reads the results topic and hands each result to this instance's pending request, if it has it.
 *
 * <p>Every broker instance reads every partition of the results topic (assigned, not a consumer group) from the
 * end as of its start, and keeps only the results routed to it: the request's reply route names the broker instance
 * holding the server's session. Any number of instances can share a cluster without a coordinator, and a result
 * can never reach another instance's session. See the module README for the trade-off.
 */
final class ResultRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultRouter.class);

    private final KafkaConsumer<String, SamplingResolved> consumer;
    private final String instanceId;
    private final BiConsumer<SamplingResolved, byte[]> onResult;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;

    ResultRouter(KafkaSettings kafka, TopicSpec<SamplingResolved> results, SchemaRegistryClient registry,
            String instanceId, BiConsumer<SamplingResolved, byte[]> onResult) {
        Map<String, Object> config = kafka.consumerConfig("unused");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), results.valueDeserializer(config, registry));
        this.instanceId = instanceId;
        this.onResult = onResult;
        List<TopicPartition> partitions = consumer.partitionsFor(results.name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("Results topic " + results.name() + " has no partitions");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, before any request is published, so no early result is skipped.
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "sampling-result-router");
    }

    void start() {
        started = true;
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, SamplingResolved> record : consumer.poll(Duration.ofMillis(200))) {
                        SamplingResolved result = record.value();
                        if (result != null && instanceId.equals(result.getContext().getReplyRoute().getBrokerInstanceId())) {
                            onResult.accept(result, EventChain.hashOf(record.headers()));
                        }
                    }
                } catch (RecordDeserializationException e) {
                    LOG.error("{}; skipped", DeserializationFailure.of(e).describe());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("Result router stopped: results can no longer reach this instance's sessions", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
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
