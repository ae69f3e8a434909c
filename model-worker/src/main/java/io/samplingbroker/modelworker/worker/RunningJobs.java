package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;

/**
 * The jobs of one worker, by request id. Jobs settle on other threads and report through a queue; the poll thread
 * alone reads it ({@link #drain}), so this class needs no lock beyond that queue.
 */
final class RunningJobs {

    private final Map<String, SamplingJob> jobs = new HashMap<>();
    private final Queue<SamplingJob> settled = new ConcurrentLinkedQueue<>();

    int size() {
        return jobs.size();
    }

    SamplingJob get(String requestId) {
        return jobs.get(requestId);
    }

    void add(SamplingJob job) {
        jobs.put(job.requestId(), job);
    }

    /** Where jobs report that they settled; safe from any thread. */
    void settled(SamplingJob job) {
        settled.add(job);
    }

    /** Removes the jobs that settled since the last call and hands each to {@code onSettled}; abandoned ones are skipped. */
    void drain(Consumer<SamplingJob> onSettled) {
        SamplingJob job;
        while ((job = settled.poll()) != null) {
            if (jobs.remove(job.requestId(), job)) {
                onSettled.accept(job);
            }
        }
    }

    /** Waits (draining meanwhile) until no job of these partitions matches {@code which}, or the timeout passes. */
    void await(Collection<TopicPartition> partitions, Duration timeout, Predicate<SamplingJob> which,
            Consumer<SamplingJob> onSettled) {
        long deadline = System.nanoTime() + timeout.toNanos();
        drain(onSettled);
        while (jobs.values().stream().anyMatch(j -> partitions.contains(j.partition()) && which.test(j))
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            drain(onSettled);
        }
    }

    /** Abandons the jobs of these partitions (aborted, nothing written, not done) and returns them. */
    List<SamplingJob> abandon(Collection<TopicPartition> partitions) {
        List<SamplingJob> abandoned = new ArrayList<>();
        jobs.values().removeIf(job -> {
            if (!partitions.contains(job.partition())) {
                return false;
            }
            job.abandon();
            abandoned.add(job);
            return true;
        });
        return abandoned;
    }
}
