package io.samplingbroker.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.model.worker.WorkerRuntime;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;

/**
 * The model-worker: executes approved sampling decisions with the configured models and writes their outcomes.
 *
 * <pre>
 * try (ModelWorker worker = ModelWorker.start(ModelWorkerConfig.defaults(kafkaSettings))) {
 *     ...
 * }
 * </pre>
 */
public final class ModelWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);
    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(60);

    private final WorkerRuntime runtime;
    private final ModelWorkerConfig config;

    private ModelWorker(WorkerRuntime runtime, ModelWorkerConfig config) {
        this.runtime = runtime;
        this.config = config;
    }

    /**
     * Creates the sampling topics if missing, checks that decisions, completions and lifecycle have the same
     * partition count (the no-double-send design needs it), starts the poll loop and returns.
     *
     * @throws KafkaException when Kafka cannot be reached or the topics do not fit
     */
    public static ModelWorker start(ModelWorkerConfig config) {
        LOG.info("Starting the model worker: {}", config);
        SamplingTopics topics = config.kafka().samplingTopics();
        try (Admin admin = Admin.create(config.kafka().adminConfig())) {
            TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture()
                    .get(TOPICS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            checkAlignment(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while preparing the sampling topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KafkaException("Cannot prepare the sampling topics at " + config.kafka().bootstrapServers()
                    + ": " + cause.getMessage(), cause);
        }
        return new ModelWorker(WorkerRuntime.start(config.kafka(), config.groupId(), config.limits(),
                config.catalogue()), config);
    }

    /**
     * A decision's outcome goes to the same partition number of completions, and its cancellation to the same
     * partition number of lifecycle, only when the three topics have as many partitions.
     */
    private static void checkAlignment(Admin admin, SamplingTopics topics)
            throws InterruptedException, ExecutionException {
        List<String> names = List.of(topics.decisions().name(), topics.completions().name(), topics.lifecycle().name());
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        long counts = names.stream().map(n -> described.get(n).partitions().size()).distinct().count();
        if (counts != 1) {
            throw new KafkaException("The model worker needs " + names + " to have the same number of partitions, "
                    + "found " + names.stream().map(n -> n + "=" + described.get(n).partitions().size()).toList());
        }
    }

    public ModelWorkerConfig config() {
        return config;
    }

    /** False once the poll loop has ended (closed, or stopped by an error: see {@link #failure()}). */
    public boolean isRunning() {
        return runtime.isRunning();
    }

    /** The error that stopped the worker, or null. */
    public Throwable failure() {
        return runtime.failure();
    }

    /** Blocks until the worker has stopped; true when it did within {@code timeout}. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return runtime.awaitTermination(timeout);
    }

    /**
     * Stops polling, waits (at most the drain timeout) for provider calls in flight and the writing of their
     * outcomes, commits, and closes every client. Calls still running then are aborted; their decisions are redone
     * by the next owner.
     */
    @Override
    public void close() {
        runtime.close();
    }
}
