package io.samplingbroker.reviewconsole;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;

/**
 * Feeds {@link OverviewStats} from the decisions and completions topics, starting an hour back (by record time),
 * on its own thread and without a consumer group. Decisions and completions share one deserializer that tells
 * the two topics apart, so one consumer reads both. Unreadable records are skipped: the overview is a summary.
 */
final class OverviewFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OverviewFeed.class);

    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final List<String> topics;
    private final OverviewStats stats;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    OverviewFeed(KafkaSettings kafka, SamplingTopics topics, SchemaRegistryClient registry, OverviewStats stats,
            Clock clock) {
        Map<String, Object> config = KafkaClients.assignedConsumer(kafka, Service.REVIEW_CONSOLE, "overview", "latest");
        Deserializer<SamplingDecided> decisions = topics.decisions().valueDeserializer(config, registry);
        Deserializer<SpecificRecord> completions = topics.completions().valueDeserializer(config, registry);
        String decisionsTopic = topics.decisions().name();
        Deserializer<SpecificRecord> either = (topic, data) -> topic.equals(decisionsTopic)
                ? decisions.deserialize(topic, data) : completions.deserialize(topic, data);
        this.consumer = new KafkaConsumer<>(config, topics.decisions().keySerde().deserializer(), either);
        this.topics = List.of(decisionsTopic, topics.completions().name());
        this.stats = stats;
        this.clock = clock;
        this.thread = new Thread(this::run, "review-console-overview");
        this.thread.setDaemon(true);
    }

    OverviewFeed start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            seekToAnHourAgo();
            while (running) {
                try {
                    for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.value() instanceof SamplingDecided decided) {
                            stats.decided(decided);
                        } else if (record.value() instanceof SamplingCompleted completed) {
                            stats.completed(completed);
                        }
                    }
                } catch (RecordDeserializationException e) {
                    LOG.debug("Overview: skipping unreadable record {}@{}", e.topicPartition(), e.offset());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("Overview: reading {} stopped; the overview no longer updates", topics, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void seekToAnHourAgo() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        long since = clock.millis() - Duration.ofMinutes(OverviewStats.MINUTES + 1).toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition)); // nothing that recent: only new records
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }
}
