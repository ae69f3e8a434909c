package io.samplingbroker.modelworker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.modelworker.worker.WorkerRuntime;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.health.Reachability;
import io.samplingbroker.serviceruntime.health.ReadinessCheck;
import io.samplingbroker.serviceruntime.kafka.KafkaUnavailableException;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.RunningService;
import io.samplingbroker.serviceruntime.service.Telemetry;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;

/**
 * The model-worker: executes approved sampling decisions with the configured models and writes their outcomes.
 *
 * <pre>
 * try (ModelWorker worker = ModelWorker.start(ModelWorkerConfig.defaults(kafkaSettings))) {
 *     ...
 * }
 * </pre>
 */
public final class ModelWorker implements RunningService {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);
    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(60);

    private final WorkerRuntime runtime;
    private final Reachability reachability;
    private final Telemetry telemetry;

    private ModelWorker(WorkerRuntime runtime, Reachability reachability, Telemetry telemetry) {
        this.runtime = runtime;
        this.reachability = reachability;
        this.telemetry = telemetry;
    }

    /**
     * Creates the sampling topics if missing, checks that decisions, completions and lifecycle have the same
     * partition count (the no-double-send design needs it), starts the poll loop and returns.
     *
     * @throws KafkaUnavailableException when Kafka or the registry cannot be reached
     * @throws KafkaException when the topics do not fit
     */
    public static ModelWorker start(ModelWorkerConfig config) {
        return start(config, Telemetry.of(Service.MODEL_WORKER));
    }

    /** As {@link #start(ModelWorkerConfig)}, reporting into {@code telemetry}, which it closes when it closes. */
    public static ModelWorker start(ModelWorkerConfig config, Telemetry telemetry) {
        return telemetry.closedIfFailed(() -> startReporting(config, telemetry));
    }

    private static ModelWorker startReporting(ModelWorkerConfig config, Telemetry telemetry) {
        LOG.info("Starting the model worker: {}", config);
        SamplingTopics topics = config.kafka().samplingTopics();
        TopicProvisioning.prepare(config.kafka(), Service.MODEL_WORKER, config.kafka().newRegistryClient(),
                TOPICS_TIMEOUT);
        try (Admin admin = Admin.create(config.kafka().adminConfig())) {
            checkAlignment(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while checking the sampling topics", e);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Cannot describe the sampling topics at "
                    + config.kafka().bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
        }
        return new ModelWorker(WorkerRuntime.start(config.kafka(), config.groupId(), config.limits(),
                config.catalogue(), telemetry), Reachability.start(config.kafka(), Service.MODEL_WORKER), telemetry);
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

    @Override
    public CompletionStage<VitalPartFailure> failed() {
        return runtime.failed();
    }

    /** Kafka and the registry reachable, and the poll loop running. */
    @Override
    public Map<String, ReadinessCheck> readiness() {
        Map<String, ReadinessCheck> checks = new LinkedHashMap<>(reachability.checks());
        checks.put("decision-loop", () -> runtime.isRunning() ? null : "the poll loop has ended");
        return checks;
    }

    /** False once the poll loop has ended (closed, or stopped by an error: see {@link #failure()}). */
    public boolean isRunning() {
        return runtime.isRunning();
    }

    /**
     * Stops polling, waits (at most the drain timeout) for provider calls in flight and the writing of their
     * outcomes, commits, and closes every client. Calls still running then are aborted; their decisions are redone
     * by the next owner.
     */
    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            reachability.close();
            telemetry.close();
        }
    }

    @Override
    public ServiceMetrics metrics() {
        return telemetry.metrics();
    }
}
