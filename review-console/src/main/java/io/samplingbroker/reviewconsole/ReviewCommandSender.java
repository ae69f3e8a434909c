package io.samplingbroker.reviewconsole;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.Futures;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;

/**
 * Writes reviewers' commands to the review-commands topic, keyed by request id so that one request's commands
 * reach the approval-worker in order. Acknowledged by every in-sync replica and idempotent, because a decision a
 * reviewer was told is on its way must not be lost or doubled; a 1 ms linger, because a person is waiting.
 */
final class ReviewCommandSender implements CommandSink, AutoCloseable {

    private final KafkaProducer<String, ReviewCommand> producer;
    private final String topic;
    private final ExecutorService sending = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "review-console-sender");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    ReviewCommandSender(KafkaSettings kafka, TopicSpec<ReviewCommand> commands, SchemaRegistryClient registry,
            Duration deliveryTimeout) {
        // give up within the reviewer's wait, so that a 503 means Kafka really did not take it
        long timeout = Math.max(deliveryTimeout.toMillis(), 1_000);
        Map<String, Object> config = KafkaClients.producer(kafka, Service.REVIEW_CONSOLE, "commands", Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeout / 2), // below delivery - linger
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeout, 5_000)));
        this.producer = new KafkaProducer<>(config, commands.keySerde().serializer(),
                commands.valueSerializer(config, registry));
        this.topic = commands.name();
    }

    /** Sends from the sender's own thread: the first send may block for metadata, never on an event loop. */
    @Override
    public CompletionStage<Void> send(ReviewCommand command) {
        ProducerRecord<String, ReviewCommand> record = new ProducerRecord<>(topic, command.getRequestId(), command);
        try {
            return CompletableFuture.supplyAsync(() -> Futures.send(producer, record, sending), sending)
                    .thenCompose(acked -> acked).thenApply(metadata -> null);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the review console is closing", e));
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            producer.close(Duration.ofSeconds(5)); // runs the last callbacks, which still need the executor
            sending.shutdown();
        }
    }
}
