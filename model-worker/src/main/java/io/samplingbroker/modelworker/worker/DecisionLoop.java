package io.samplingbroker.modelworker.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.modelworker.worker.RequestMemory.Known;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.EventChain;

/**
 * The poll thread. It never waits for a provider: decisions are handed to {@link JobLauncher} and their outcomes
 * come back through a queue. At most {@code maxInFlight} jobs run at once; when the worker is full it pauses its
 * partitions (and keeps polling, so the group does not evict it) and resumes when a job settles. Offsets are
 * committed up to the lowest unfinished record of each partition (see {@link PartitionLedger}).
 */
final class DecisionLoop implements Runnable, ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration POLL_WHEN_FULL = Duration.ofMillis(10);
    private static final Duration REGISTRY_RETRY = Duration.ofSeconds(1);
    private static final Duration FORGET_EVERY = Duration.ofSeconds(10);
    /** Extra wait for outcomes being written when the drain timeout ends: writes take milliseconds. */
    private static final Duration WRITE_GRACE = Duration.ofSeconds(10);

    private final Consumer<String, byte[]> decisions;
    private final String decisionsTopic;
    private final Deserializer<SamplingDecided> decoder;
    private final LifecycleFollower lifecycle;
    private final HistoryScan history;
    private final JobLauncher launcher;
    private final OutcomeWriter writer;
    private final WorkerLimits limits;
    private final Clock clock;
    private final Commits commits;

    private final PartitionLedger ledger = new PartitionLedger();
    private final RequestMemory memory = new RequestMemory();
    private final Deque<ConsumerRecord<String, byte[]>> pending = new ArrayDeque<>();
    private final RunningJobs jobs = new RunningJobs();
    private volatile boolean running = true;
    private Instant decodeAgainAt = Instant.MIN;
    private Instant forgetAt = Instant.MIN;

    DecisionLoop(Consumer<String, byte[]> decisions, String decisionsTopic, Deserializer<SamplingDecided> decoder,
            LifecycleFollower lifecycle, HistoryScan history, JobLauncher launcher, OutcomeWriter writer,
            WorkerLimits limits, Clock clock) {
        this.decisions = decisions;
        this.decisionsTopic = decisionsTopic;
        this.decoder = decoder;
        this.lifecycle = lifecycle;
        this.history = history;
        this.launcher = launcher;
        this.writer = writer;
        this.limits = limits;
        this.clock = clock;
        this.commits = new Commits(decisions, ledger);
    }

    @Override
    public void run() {
        decisions.subscribe(List.of(decisionsTopic), this);
        try {
            while (running) {
                step();
            }
        } finally {
            shutdown();
        }
    }

    /** Asks the loop to finish its current step, drain and stop; returns at once. */
    void stop() {
        running = false;
    }

    private void step() {
        drainSettled();
        startPending();
        boolean full = flowControl();
        commits.commitAsyncIfDue();
        for (ConsumerRecord<String, byte[]> record : decisions.poll(full ? POLL_WHEN_FULL : POLL)) {
            ledger.track(new TopicPartition(record.topic(), record.partition()), record.offset());
            pending.add(record);
        }
        lifecycle.poll(this::onLifecycleEvent);
        startPending();
        Instant now = clock.instant();
        if (now.isAfter(forgetAt)) {
            memory.forgetExpired(now);
            forgetAt = now.plus(FORGET_EVERY);
        }
    }

    /** Pauses every assigned partition while records wait or the worker is full; resumes otherwise. */
    private boolean flowControl() {
        boolean full = !pending.isEmpty() || jobs.size() >= limits.maxInFlight();
        if (full) {
            decisions.pause(decisions.assignment());
        } else if (!decisions.paused().isEmpty()) {
            decisions.resume(decisions.paused());
        }
        return full;
    }

    private void startPending() {
        if (clock.instant().isBefore(decodeAgainAt)) {
            return;
        }
        while (!pending.isEmpty() && jobs.size() < limits.maxInFlight()) {
            ConsumerRecord<String, byte[]> record = pending.peek();
            SamplingDecided decision;
            try {
                decision = decoder.deserialize(record.topic(), record.headers(), record.value());
            } catch (SchemaRegistryUnavailableException e) {
                LOG.warn("Cannot read decision {} yet, the schema registry is unreachable; retrying", record.key());
                decodeAgainAt = clock.instant().plus(REGISTRY_RETRY);
                return;
            } catch (RuntimeException e) {
                pending.poll();
                deadLetter(record, e.getMessage() == null ? e.getClass().getName() : e.getMessage(), e);
                continue;
            }
            pending.poll();
            if (decision == null) {
                deadLetter(record, "a decision record without a value", null);
            } else {
                handle(record, decision);
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, SamplingDecided decision) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        String requestId = decision.getContext().getRequestId();
        String skip = skipReason(decision);
        if (skip != null) {
            LOG.info("Request {}: skipped, {}", requestId, skip);
            ledger.finish(partition, record.offset());
            return;
        }
        memory.remember(requestId, Known.STARTED, decision.getContext().getDeadline());
        jobs.add(launcher.launch(decision, record.headers(), partition, record.offset(), jobs::settled));
    }

    private String skipReason(SamplingDecided decision) {
        if (decision.getDecision() != Decision.APPROVED && decision.getDecision() != Decision.AMENDED) {
            return "decision " + decision.getDecision() + " is not for the model-worker";
        }
        if (!decision.getContext().getDeadline().isAfter(clock.instant())) {
            return "its deadline " + decision.getContext().getDeadline() + " has passed";
        }
        Known known = memory.known(decision.getContext().getRequestId());
        if (known == Known.RECORDED) {
            return "its outcome is already recorded";
        }
        if (known == Known.STARTED) {
            return "this worker already took it on (duplicate decision)";
        }
        if (known == Known.STOPPED) {
            return "it was cancelled or has ended";
        }
        return null;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable cause) {
        LOG.error("Decision at {}-{} offset {} cannot be read ({}); sent to the dead-letter topic", record.topic(),
                record.partition(), record.offset(), reason);
        writer.deadLetter(record, reason, cause).orTimeout(limits.catchUpTimeout().toMillis(), TimeUnit.MILLISECONDS).join();
        ledger.finish(new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    private void drainSettled() {
        jobs.drain(this::settle);
    }

    private void settle(SamplingJob job) {
        if (Boolean.TRUE.equals(job.settled().getNow(false))) {
            ledger.finish(job.partition(), job.offset());
        } else {
            memory.forgetStarted(job.requestId());
        }
    }

    private void onLifecycleEvent(ConsumerRecord<String, SpecificRecord> record) {
        LifecycleSignal signal = LifecycleSignal.of(record.value());
        if (signal == null) {
            return;
        }
        memory.remember(signal.requestId(), Known.STOPPED, signal.deadline());
        SamplingJob job = jobs.get(signal.requestId());
        // a job whose outcome is written already is only waiting to be drained: nothing to abort
        if (job != null && !job.settled().isDone()) {
            LOG.info("Request {}: {} while its provider call runs; aborting it, nothing will be written",
                    signal.requestId(), signal.event());
            job.stop();
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
        Instant now = clock.instant();
        long from = now.minus(limits.lookback()).toEpochMilli();
        Map<String, Instant> recorded = history.recordedOutcomes(numbers, from, now.plus(limits.lookback()));
        recorded.forEach((id, deadline) -> memory.remember(id, Known.RECORDED, deadline));
        lifecycle.follow(numbers, from, this::onLifecycleEvent);
        LOG.info("Took decisions partitions {}; {} outcome(s) already recorded in the last {} s", numbers,
                recorded.size(), limits.lookback().toSeconds());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        release(partitions, true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        release(partitions, false);
    }

    /** Lets go of partitions: waits (bounded) for their jobs, abandons the rest, commits what finished. */
    private void release(Collection<TopicPartition> partitions, boolean commit) {
        if (partitions.isEmpty()) {
            return;
        }
        pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        if (commit) {
            awaitJobs(partitions);
        }
        abandonJobs(partitions);
        if (commit) {
            commits.commitSync(partitions);
        }
        partitions.forEach(ledger::forget);
        lifecycle.unfollow(partitions.stream().map(TopicPartition::partition).toList());
        LOG.info("Released decisions partitions {}", partitions.stream().map(TopicPartition::partition).toList());
    }

    /** Waits for running jobs (drain timeout), then a little more for outcomes already being written. */
    private void awaitJobs(Collection<TopicPartition> partitions) {
        jobs.await(partitions, limits.drainTimeout(), job -> true, this::settle);
        jobs.await(partitions, WRITE_GRACE, SamplingJob::writing, this::settle);
    }

    private void abandonJobs(Collection<TopicPartition> partitions) {
        for (SamplingJob job : jobs.abandon(partitions)) {
            LOG.warn("Request {}: still running at hand-over; abandoned, whoever owns partition {} next redoes it",
                    job.requestId(), job.partition().partition());
            memory.forgetStarted(job.requestId());
        }
    }

    /** Stop polling, let running jobs finish (bounded), commit, close the consumers. */
    private void shutdown() {
        try {
            pending.clear();
            awaitJobs(decisions.assignment());
            abandonJobs(decisions.assignment());
            commits.commitSync(decisions.assignment());
        } catch (RuntimeException e) {
            LOG.warn("Stopping the decision loop: {}", e.toString());
        } finally {
            decisions.close();
            lifecycle.close();
            history.close();
        }
    }
}
