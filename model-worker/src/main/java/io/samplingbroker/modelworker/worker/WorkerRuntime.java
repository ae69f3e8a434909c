package io.samplingbroker.modelworker.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.provider.ProviderCallRunner;
import io.samplingbroker.modelworker.provider.ProviderPool;
import io.samplingbroker.modelworker.provider.RetryPolicy;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.serviceruntime.service.Telemetry;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;

/**
 * The running worker: its Kafka clients, providers and threads, wired together. Build it with {@link #start}; the
 * public face is {@code io.samplingbroker.modelworker.ModelWorker}.
 */
public final class WorkerRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(45);

    private final DecisionLoop loop;
    private final Thread pollThread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final List<AutoCloseable> resources;
    private final Duration drainTimeout;
    private final FailureSignal failures = new FailureSignal("model-worker");
    private volatile Throwable failure;
    private volatile boolean closed;

    private WorkerRuntime(DecisionLoop loop, List<AutoCloseable> resources, Duration drainTimeout) {
        this.loop = loop;
        this.resources = resources;
        this.drainTimeout = drainTimeout;
        this.pollThread = new Thread(this::runLoop, "model-worker-poll");
    }

    /** Wires the worker and starts its poll thread; the topics must exist. */
    public static WorkerRuntime start(KafkaSettings kafka, String groupId, WorkerLimits limits, ModelCatalogue catalogue,
            Telemetry telemetry) {
        ServiceMetrics metrics = telemetry.metrics();
        Clock clock = Clock.systemUTC();
        SamplingTopics topics = kafka.samplingTopics();
        SchemaRegistryClient registry = kafka.newRegistryClient();
        List<AutoCloseable> resources = new ArrayList<>();
        List<AutoCloseable> consumers = new ArrayList<>(); // the poll thread owns and closes them once it runs
        try {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemons("model-worker-timer"));
            resources.add(scheduler::shutdownNow);
            ExecutorService outcomes = Executors.newFixedThreadPool(2, daemons("model-worker-outcome"));
            resources.add(outcomes::shutdownNow);
            ModelMetrics modelMetrics = new ModelMetrics(metrics);
            ProviderPool providers = new ProviderPool(catalogue, clock, modelMetrics::circuitChanged);
            resources.add(providers);
            modelMetrics.watch(providers.health());
            Map<String, Object> producerConfig = KafkaClients.producer(kafka, Service.MODEL_WORKER, "outcomes");
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                    new ByteArraySerializer());
            resources.add(() -> producer.close(Duration.ofSeconds(10)));
            metrics.bind(producer);
            OutcomeWriter writer = new OutcomeWriter(producer, topics,
                    topics.completions().valueSerializer(producerConfig, registry), scheduler, outcomes,
                    new DeadLetterMeter(metrics));
            resources.add(writer);

            Map<String, Object> decisionsConfig = decisionsConsumer(kafka, groupId);
            KafkaConsumer<String, byte[]> decisions = new KafkaConsumer<>(decisionsConfig, new StringDeserializer(),
                    new ByteArrayDeserializer());
            consumers.add(decisions);
            metrics.bind(decisions); // its records-lag is how far the model-workers are behind the decisions
            Map<String, Object> lifecycleConfig = KafkaClients.assignedConsumer(kafka, Service.MODEL_WORKER, "lifecycle",
                    "earliest");
            KafkaConsumer<String, SpecificRecord> lifecycle = new KafkaConsumer<>(lifecycleConfig,
                    new StringDeserializer(), topics.lifecycle().valueDeserializer(lifecycleConfig, registry));
            consumers.add(lifecycle);
            Map<String, Object> completionsConfig = KafkaClients.assignedConsumer(kafka, Service.MODEL_WORKER,
                    "completions", "earliest");
            KafkaConsumer<String, byte[]> completions = new KafkaConsumer<>(completionsConfig,
                    new StringDeserializer(), new ByteArrayDeserializer());
            consumers.add(completions);

            JobLauncher launcher = new JobLauncher(catalogue, providers,
                    new ProviderCallRunner(scheduler, clock, RetryPolicy.standard()), writer, outcomes, clock,
                    modelMetrics, telemetry.tracing().tracer());
            DecisionLoop loop = new DecisionLoop(decisions, topics.decisions().name(),
                    topics.decisions().valueDeserializer(decisionsConfig, registry),
                    new LifecycleFollower(lifecycle, topics.lifecycle().name(), limits.catchUpTimeout()),
                    new HistoryScan(completions, topics.completions().valueDeserializer(completionsConfig, registry),
                            topics.completions().name(), limits.catchUpTimeout()),
                    launcher, writer, limits, clock);
            Collections.reverse(resources); // close in reverse order of creation: writer, producer, providers, threads
            WorkerRuntime runtime = new WorkerRuntime(loop, resources, limits.drainTimeout());
            runtime.pollThread.start();
            LOG.info("Model worker started: group {}, topics {}*, {} model(s), max {} in flight", groupId,
                    kafka.topics().prefix(), catalogue.models().size(), limits.maxInFlight());
            return runtime;
        } catch (RuntimeException e) {
            closeAll(consumers);
            Collections.reverse(resources);
            closeAll(resources);
            throw e;
        }
    }

    /**
     * The group member reading decisions: a new group starts at the earliest decision (older ones are skipped by
     * deadline, none is missed), and rebalances are cooperative unless the operator chooses otherwise, so that a
     * rebalance only stops the partitions that move.
     */
    private static Map<String, Object> decisionsConsumer(KafkaSettings kafka, String groupId) {
        Map<String, Object> config = KafkaClients.groupConsumer(kafka, Service.MODEL_WORKER, "decisions", groupId,
                "earliest");
        boolean classicProtocol = !"consumer".equalsIgnoreCase(
                String.valueOf(config.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic")));
        if (classicProtocol) {
            // The KIP-848 protocol (group.protocol=consumer) is incremental already and refuses this setting.
            config.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName());
        }
        return config;
    }

    private void runLoop() {
        try {
            loop.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("The model worker stopped on an error", e);
            failures.fail("the decisions poll loop", e);
        } finally {
            terminated.countDown();
        }
    }

    /** Completes when the poll loop stops on an error. */
    public CompletionStage<VitalPartFailure> failed() {
        return failures.failed();
    }

    public boolean isRunning() {
        return terminated.getCount() > 0;
    }

    /** The error that stopped the poll loop, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Waits until the poll loop has ended (after {@link #close} or an error). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops polling, lets running calls finish within the drain timeout, commits, and releases everything. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        failures.closing();
        loop.stop();
        try {
            if (!awaitTermination(drainTimeout.plus(CLOSE_MARGIN))) {
                LOG.warn("The poll loop did not stop in time; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(resources);
        LOG.info("Model worker stopped");
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("A model worker resource did not close cleanly: {}", e.toString());
            }
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
