package io.samplingbroker.approval;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.approval.policy.Policy;
import io.samplingbroker.approval.policy.PolicyLoader;
import io.samplingbroker.approval.topology.ApprovalSerdes;
import io.samplingbroker.approval.topology.ApprovalTopology;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;

/**
 * A running approval-worker: decides every sampling request with the policy, as a Kafka Streams application.
 * {@link #start} returns once it is processing; {@link #close} stops it, committing what it processed.
 */
public final class ApprovalWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalWorker.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final Policy policy;
    private final ApprovalWorkerConfig config;

    private ApprovalWorker(KafkaStreams streams, Policy policy, ApprovalWorkerConfig config) {
        this.streams = streams;
        this.policy = policy;
        this.config = config;
    }

    /**
     * Loads the policy (a bad one throws {@code PolicyFileException} naming file, line and field), creates the
     * sampling topics if missing, starts Kafka Streams and waits until it runs.
     *
     * @throws IllegalStateException when Kafka is unreachable or Streams does not run within the start-up timeout
     */
    public static ApprovalWorker start(ApprovalWorkerConfig config) {
        Policy policy = PolicyLoader.load(config.policyFile());
        SamplingTopics topics = config.kafka().samplingTopics();
        long deadline = System.nanoTime() + config.startupTimeout().toNanos();
        provisionTopics(config, topics);
        SchemaRegistryClient registry = config.kafka().newRegistryClient();
        Topology topology = ApprovalTopology.build(policy, topics, ApprovalSerdes.fromRegistry(topics, registry),
                Clock.systemUTC());
        KafkaStreams streams = new KafkaStreams(topology, StreamsProperties.of(config));
        CompletableFuture<Void> running = new CompletableFuture<>();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.complete(null);
            } else if (now == KafkaStreams.State.PENDING_ERROR || now == KafkaStreams.State.ERROR) {
                running.completeExceptionally(new IllegalStateException("Kafka Streams failed (state " + now + ")"));
            }
        });
        // A failed thread (registry or Kafka unreachable for too long) is replaced and redoes its records from the
        // last commit: at least once, nothing lost.
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("An approval stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        try {
            running.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            KafkaStreams.State state = streams.state();
            streams.close(leavingTheGroup(Duration.ofSeconds(10)));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("approval-worker did not start within " + config.startupTimeout().toSeconds()
                    + " s (Kafka Streams state " + state + ", Kafka at " + config.kafka().bootstrapServers() + "): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        }
        LOG.info("approval-worker running: application.id={}, policy {} ({} rules), requests from {}",
                config.applicationId(), policy.source(), policy.rules().size(), topics.requests().name());
        return new ApprovalWorker(streams, policy, config);
    }

    private static void provisionTopics(ApprovalWorkerConfig config, SamplingTopics topics) {
        Admin admin = Admin.create(config.kafka().adminConfig());
        try {
            TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture()
                    .get(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot create the sampling topics within " + config.startupTimeout().toSeconds()
                    + " s: is Kafka reachable at " + config.kafka().bootstrapServers() + "?", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create the sampling topics at " + config.kafka().bootstrapServers()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the sampling topics", e);
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Kafka Streams stays in its consumer group on close by default (so a rolling restart moves no partitions), and
     * the next start then waits for the old member's session to time out (45 s) before it runs. A worker that stops
     * hands its partitions over at once instead.
     */
    private static CloseOptions leavingTheGroup(Duration timeout) {
        return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout);
    }

    public Policy policy() {
        return policy;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Stops processing; offsets of what was processed are committed, the rest is decided after the next start. */
    @Override
    public void close() {
        LOG.info("approval-worker stopping (application.id={})", config.applicationId());
        if (!streams.close(leavingTheGroup(CLOSE_TIMEOUT))) {
            LOG.warn("approval-worker did not stop within {} s", CLOSE_TIMEOUT.toSeconds());
        }
        LOG.info("approval-worker stopped");
    }
}
