package io.samplingbroker.approvalworker;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.api.trace.Tracer;
import io.samplingbroker.approvalworker.policy.Policy;
import io.samplingbroker.approvalworker.policy.PolicyLoader;
import io.samplingbroker.approvalworker.review.ReviewQueueMetrics;
import io.samplingbroker.approvalworker.review.ReviewSerdes;
import io.samplingbroker.approvalworker.review.ReviewTopology;
import io.samplingbroker.approvalworker.topology.ApprovalSerdes;
import io.samplingbroker.approvalworker.topology.ApprovalTopology;
import io.samplingbroker.approvalworker.topology.DecisionMetrics;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.health.Reachability;
import io.samplingbroker.serviceruntime.health.ReadinessCheck;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.serviceruntime.service.RunningService;
import io.samplingbroker.serviceruntime.service.Telemetry;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.serviceruntime.spend.PriceFile;

/**
 * A running approval-worker: decides every sampling request with the policy, and applies reviewers' decisions to
 * held requests and responses, as two Kafka Streams applications. {@link #start} returns once both are processing;
 * {@link #failed} completes if either goes to error later; {@link #close} stops them, committing what they processed.
 * Reviewers use the review console, a service of its own (module review-console).
 */
public final class ApprovalWorker implements RunningService {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalWorker.class);

    private final StreamsApp decisions;
    private final StreamsApp reviews;
    private final FailureSignal failures;
    private final Reachability reachability;
    private final ApprovalWorkerConfig config;
    private final Telemetry telemetry;
    private boolean closed;

    private ApprovalWorker(StreamsApp decisions, StreamsApp reviews, FailureSignal failures,
            ApprovalWorkerConfig config, Reachability reachability, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.reachability = reachability;
        this.decisions = decisions;
        this.reviews = reviews;
        this.failures = failures;
        this.config = config;
    }

    /**
     * Loads the policy (a bad one throws {@code PolicyFileException} naming file, line and field), creates the
     * sampling topics if missing, starts Kafka Streams and waits until it runs.
     *
     * @throws IllegalStateException when Kafka is unreachable or Streams does not run within the start-up timeout
     */
    public static ApprovalWorker start(ApprovalWorkerConfig config) {
        return start(config, Telemetry.of(Service.APPROVAL_WORKER));
    }

    /** As {@link #start(ApprovalWorkerConfig)}, reporting into {@code telemetry}, which it closes when it closes. */
    public static ApprovalWorker start(ApprovalWorkerConfig config, Telemetry telemetry) {
        return telemetry.closedIfFailed(() -> startReporting(config, telemetry));
    }

    private static ApprovalWorker startReporting(ApprovalWorkerConfig config, Telemetry telemetry) {
        ServiceMetrics metrics = telemetry.metrics();
        Tracer tracer = telemetry.tracing().tracer();
        Policy policy = PolicyLoader.load(config.policyFile());
        PriceCatalogue prices = config.pricesFile() == null ? PriceCatalogue.none()
                : PriceFile.load(Path.of(config.pricesFile()));
        SamplingTopics topics = config.kafka().samplingTopics();
        long deadline = System.nanoTime() + config.startupTimeout().toNanos();
        SchemaRegistryClient registry = config.kafka().newRegistryClient();
        TopicProvisioning.prepare(config.kafka(), Service.APPROVAL_WORKER, registry, config.startupTimeout());
        Topology decisions = ApprovalTopology.build(policy, prices, topics,
                ApprovalSerdes.fromRegistry(topics, registry), Clock.systemUTC(), new DecisionMetrics(metrics, policy), tracer);
        Topology reviews = ReviewTopology.build(topics, ReviewSerdes.fromRegistry(topics, registry), Clock.systemUTC(),
                new ReviewQueueMetrics(metrics, Clock.systemUTC()), tracer);
        String kafka = config.kafka().bootstrapServers();
        FailureSignal failures = new FailureSignal("approval-worker");
        DeadLetterMeter deadLetters = new DeadLetterMeter(metrics);
        StreamsApp decisionApp = StreamsApp.start("decision", decisions,
                StreamsProperties.of(config, config.applicationId(), "decision", deadLetters), deadline, kafka, failures, metrics);
        StreamsApp reviewApp;
        try {
            reviewApp = StreamsApp.start("review", reviews, StreamsProperties.of(config, config.reviewApplicationId(), "review",
                    deadLetters),
                    deadline, kafka, failures, metrics);
        } catch (RuntimeException e) {
            decisionApp.close();
            throw e;
        }
        LOG.info("approval-worker running: application.id={} (reviews: {}), policy {} ({} rules), requests from {}",
                config.applicationId(), config.reviewApplicationId(), policy.source(), policy.rules().size(),
                topics.requests().name());
        return new ApprovalWorker(decisionApp, reviewApp, failures, config,
                Reachability.start(config.kafka(), Service.APPROVAL_WORKER), telemetry);
    }

    /** The state of the decision application (the review application runs beside it). */
    public KafkaStreams.State state() {
        return decisions.state();
    }

    @Override
    public CompletionStage<VitalPartFailure> failed() {
        return failures.failed();
    }

    /** Kafka and the registry reachable, and both Kafka Streams applications running (not rebalancing). */
    @Override
    public Map<String, ReadinessCheck> readiness() {
        Map<String, ReadinessCheck> checks = new LinkedHashMap<>(reachability.checks());
        checks.put("decision-streams", () -> running(decisions.state()));
        checks.put("review-streams", () -> running(reviews.state()));
        return checks;
    }

    private static String running(KafkaStreams.State state) {
        return state == KafkaStreams.State.RUNNING ? null : "Kafka Streams is " + state;
    }

    @Override
    public ServiceMetrics metrics() {
        return telemetry.metrics();
    }

    /** Stops processing; offsets of what was processed are committed, the rest is decided after the next start. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        failures.closing();
        LOG.info("approval-worker stopping (application.id={})", config.applicationId());
        try {
            reviews.close();
        } finally {
            decisions.close();
            reachability.close();
            telemetry.close();
        }
        LOG.info("approval-worker stopped");
    }
}
