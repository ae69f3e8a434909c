package io.samplingbroker.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * Plays the approval and model workers for broker-level tests, on real Kafka: reads the requests topic and writes
 * to the results topic whatever {@code answer} decides (or nothing, to let a request expire). The real workers are
 * exercised end to end in the system tests.
 */
final class WorkerStandIn implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerStandIn.class);

    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final KafkaProducer<String, SamplingResolved> producer;
    private final SamplingTopics topics;
    private final Function<SamplingRequested, Optional<SamplingResolved>> answer;
    private final List<SamplingRequested> seen = new CopyOnWriteArrayList<>();
    private final List<SamplingRefused> refused = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    WorkerStandIn(KafkaSettings kafka, Function<SamplingRequested, Optional<SamplingResolved>> answer) {
        this.topics = kafka.samplingTopics();
        this.answer = answer;
        SchemaRegistryClient registry = kafka.newRegistryClient();
        Map<String, Object> consumerConfig = kafka.consumerConfig("stand-in-" + System.nanoTime());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(consumerConfig, topics.requests().keySerde().deserializer(),
                topics.requests().valueSerde(registry).deserializer());
        producer = new KafkaProducer<>(kafka.producerConfig(), topics.results().keySerde().serializer(),
                topics.results().valueSerde(registry).serializer());
        consumer.subscribe(List.of(topics.requests().name()));
        thread = new Thread(this::run, "worker-stand-in");
        thread.start();
    }

    /** Answers every request with a text result naming the host, server and prompt it received. */
    static Optional<SamplingResolved> echo(SamplingRequested request) {
        TextContent prompt = (TextContent) request.getParams().getMessages().get(0).getContent().get(0);
        String text = "stand-in answer for host " + request.getContext().getHostId() + " via "
                + request.getContext().getServerName() + ": " + prompt.getText();
        CreateMessageResult result = new CreateMessageResult(Role.assistant, List.of(new TextContent(text, null, null, null)),
                ContentShape.SINGLE, "stand-in-model", "endTurn", null, null);
        return Optional.of(SamplingResolved.newBuilder().setContext(request.getContext()).setOccurredAt(Instant.now())
                .setCreateMessageResult(result).setResolvedBy("worker-stand-in").build());
    }

    /**
     * The approval-worker's {@code forward} action: tells the broker to send each request to its host when the host
     * declared sampling itself, and answers as {@link #echo} when it did not.
     */
    static Optional<SamplingResolved> forward(SamplingRequested request) {
        if (request.getHostSampling() == null) {
            return echo(request);
        }
        return Optional.of(SamplingResolved.newBuilder().setContext(request.getContext()).setOccurredAt(Instant.now())
                .setForwardToHost(request.getParams()).setResolvedBy("worker-stand-in").build());
    }

    /** Answers as {@code answer} does, {@code delay} later: a slow model, or a reviewer taking their time. */
    static Function<SamplingRequested, Optional<SamplingResolved>> after(Duration delay,
            Function<SamplingRequested, Optional<SamplingResolved>> answer) {
        return request -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer.apply(request);
        };
    }

    /** Denies every request as a reviewer would: {@code -1} "User rejected sampling request". */
    static Optional<SamplingResolved> deny(SamplingRequested request) {
        return Optional.of(SamplingResolved.newBuilder().setContext(request.getContext()).setOccurredAt(Instant.now())
                .setError(new JsonRpcError(-1, "User rejected sampling request", null))
                .setResolvedBy("worker-stand-in").build());
    }

    List<SamplingRequested> seen() {
        return seen;
    }

    /** The broker's records of the requests it refused before the pipeline, which a worker skips. */
    List<SamplingRefused> refused() {
        return refused;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.value() instanceof SamplingRefused refusal) {
                        refused.add(refusal);
                    } else if (record.value() instanceof SamplingRequested request) {
                        seen.add(request);
                        answer.apply(request).ifPresent(result -> send(record.key(), result));
                    }
                }
            }
        } catch (RuntimeException e) {
            // a stand-in that stops answering would look like a broker whose requests expire: say why instead
            LOG.error("The worker stand-in stopped reading requests", e);
            failure.compareAndSet(null, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(3)));
        }
    }

    private void send(String key, SamplingResolved result) {
        producer.send(new ProducerRecord<>(topics.results().name(), key, result), (metadata, e) -> {
            if (e != null) {
                LOG.error("The worker stand-in could not write its answer to request {}", key, e);
                failure.compareAndSet(null, e);
            }
        });
    }

    /** What stopped the stand-in from reading a request or writing an answer, or null: for a test's failure message. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
