package io.samplingbroker.modelworker.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;

/**
 * The sampling topics of one test (a unique prefix) on the shared real Kafka and registry: writes decisions and
 * lifecycle events as the upstream services do, and reads back everything the worker writes, and the results
 * topic, which it must not write, raw (any record there counts, readable or not).
 */
public final class SamplingKafka implements AutoCloseable {

    private final KafkaStack stack;
    private final KafkaSettings settings;
    private final SamplingTopics topics;
    private final SchemaRegistryClient registry;
    private final KafkaProducer<String, SamplingDecided> decisions;
    private final KafkaProducer<String, SpecificRecord> lifecycle;
    private final KafkaConsumer<String, SpecificRecord> completionsReader;
    private final KafkaConsumer<String, byte[]> resultsReader;
    private final Map<String, List<SpecificRecord>> completions = new HashMap<>();
    private final Map<String, List<Headers>> completionHeaders = new HashMap<>();
    private final List<ConsumerRecord<String, byte[]>> results = new ArrayList<>();

    public SamplingKafka(KafkaStack stack) throws Exception {
        this.stack = stack;
        TopicsConfig config = TopicsConfig.defaults().withPrefix(KafkaStack.uniqueName("mw") + ".");
        this.settings = KafkaSettings.of(stack.clientSettings(), stack.schemaRegistryUrl(), config);
        this.topics = settings.samplingTopics();
        this.registry = settings.newRegistryClient();
        try (Admin admin = Admin.create(stack.clientConfig())) {
            TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        this.decisions = producer(topics.decisions());
        this.lifecycle = producer(topics.lifecycle());
        this.completionsReader = reader(topics.completions());
        this.resultsReader = rawReader(topics.results());
    }

    public KafkaSettings settings() {
        return settings;
    }

    public SamplingTopics topics() {
        return topics;
    }

    public void decide(SamplingDecided decision) throws Exception {
        decisions.send(new ProducerRecord<>(topics.decisions().name(), decision.getContext().getRequestId(), decision))
                .get(10, TimeUnit.SECONDS);
    }

    public void cancel(SamplingCancelled cancelled) throws Exception {
        lifecycle.send(new ProducerRecord<>(topics.lifecycle().name(), cancelled.getContext().getRequestId(), cancelled))
                .get(10, TimeUnit.SECONDS);
    }

    /** Reads until the request has a completion, or fails after the timeout. */
    public SpecificRecord awaitCompletion(String requestId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completionsOf(requestId).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No completion for " + requestId + " within " + timeout.toSeconds() + " s");
            }
            readFor(Duration.ofMillis(100));
        }
        return completionsOf(requestId).get(0);
    }

    /** Keeps reading for a while, to see that nothing more arrives. */
    public void readFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        do {
            for (ConsumerRecord<String, SpecificRecord> r : completionsReader.poll(Duration.ofMillis(20))) {
                completions.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                completionHeaders.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.headers());
            }
            for (ConsumerRecord<String, byte[]> r : resultsReader.poll(Duration.ofMillis(20))) {
                results.add(r);
            }
        } while (System.nanoTime() < deadline);
    }

    public List<SpecificRecord> completionsOf(String requestId) {
        return completions.getOrDefault(requestId, List.of());
    }

    /** The headers of the request's completion records, in the order read. */
    public List<Headers> completionHeadersOf(String requestId) {
        return completionHeaders.getOrDefault(requestId, List.of());
    }

    /** Every record read from the results topic, whatever its key or value. */
    public List<ConsumerRecord<String, byte[]>> results() {
        return List.copyOf(results);
    }

    private <V> KafkaProducer<String, V> producer(TopicSpec<V> topic) {
        Map<String, Object> config = stack.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde(registry).serializer());
    }

    private <V> KafkaConsumer<String, V> reader(TopicSpec<V> topic) {
        return fromTheStart(new KafkaConsumer<>(stack.clientConfig(), topic.keySerde().deserializer(),
                topic.valueSerde(registry).deserializer()), topic);
    }

    private KafkaConsumer<String, byte[]> rawReader(TopicSpec<?> topic) {
        return fromTheStart(new KafkaConsumer<>(stack.clientConfig(), new StringDeserializer(),
                new ByteArrayDeserializer()), topic);
    }

    private static <V> KafkaConsumer<String, V> fromTheStart(KafkaConsumer<String, V> consumer, TopicSpec<?> topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(new TopicPartition(topic.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    @Override
    public void close() {
        decisions.close();
        lifecycle.close();
        completionsReader.close();
        resultsReader.close();
    }
}
