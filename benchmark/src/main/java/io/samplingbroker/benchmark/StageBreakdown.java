package io.samplingbroker.benchmark;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;

/**
 * Where the time goes, from the records themselves: each event's Kafka timestamp (producer create time, ms) per
 * request id, on the requests (broker), decisions (approval-worker), completions (model-worker) and lifecycle
 * (broker: delivered) topics. Gives each stage's distribution per time window of the run.
 */
public final class StageBreakdown {

    private final Map<String, Long> requested;
    private final Map<String, Long> decided;
    private final Map<String, Long> completed;
    private final Map<String, Long> delivered;

    private StageBreakdown(KafkaSettings settings) {
        SamplingTopics topics = settings.samplingTopics();
        requested = firstTimestamps(settings, topics.requests().name());
        decided = firstTimestamps(settings, topics.decisions().name());
        completed = firstTimestamps(settings, topics.completions().name());
        delivered = firstTimestamps(settings, topics.lifecycle().name());
    }

    /** Reads the run's topics whole (call once the run is over). */
    public static StageBreakdown read(KafkaSettings settings) {
        return new StageBreakdown(settings);
    }

    public static String header() {
        return "| window | stage (Kafka record timestamps, ms) | requests | p50 | p90 | p99 | max |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n";
    }

    /** Rows for the requests published in [{@code fromMillis}, {@code toMillis}). */
    public String rows(String window, long fromMillis, long toMillis) {
        Histogram toDecision = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        Histogram toCompletion = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        Histogram toDelivered = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        requested.forEach((id, at) -> {
            Long d = decided.get(id);
            Long c = completed.get(id);
            Long l = delivered.get(id);
            if (at >= fromMillis && at < toMillis && d != null && c != null && l != null) {
                toDecision.recordValue(Math.min(Math.max(0, d - at), TimeUnit.MINUTES.toMillis(10)));
                toCompletion.recordValue(Math.min(Math.max(0, c - d), TimeUnit.MINUTES.toMillis(10)));
                toDelivered.recordValue(Math.min(Math.max(0, l - c), TimeUnit.MINUTES.toMillis(10)));
            }
        });
        return row(window, "requests → decisions (approval-worker)", toDecision)
                + row(window, "decisions → completions (model-worker)", toCompletion)
                + row(window, "completions → delivered (broker: answer read, reply POSTed upstream)", toDelivered);
    }

    private static String row(String window, String stage, Histogram h) {
        return String.format("| %s | %s | %d | %d | %d | %d | %d |%n", window, stage, h.getTotalCount(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getMaxValue());
    }

    /** The timestamp of the first record of each key on {@code topic}, reading it whole. */
    private static Map<String, Long> firstTimestamps(KafkaSettings settings, String topic) {
        Map<String, Object> config = KafkaClients.assignedReader(settings, "benchmark-stage-breakdown", "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.keySet().removeIf(key -> key.startsWith("schema.registry") || key.startsWith("auto.register")
                || key.startsWith("use.latest") || key.startsWith("latest.cache") || key.startsWith("basic.auth"));
        Map<String, Long> first = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    first.putIfAbsent(record.key(), record.timestamp());
                }
            }
        }
        return first;
    }
}
