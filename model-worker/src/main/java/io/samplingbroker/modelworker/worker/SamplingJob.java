package io.samplingbroker.modelworker.worker;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;

import io.samplingbroker.modelworker.provider.RunningCall;

/**
 * One decision being executed: the provider call (if any) and the writing of its outcome. {@link #settled()}
 * completes with true when the record needs no more work (outcome recorded, or the request was stopped), false when
 * the job was abandoned without an outcome (its record must then be redone by whoever owns the partition next).
 */
final class SamplingJob {

    private final String requestId;
    private final TopicPartition partition;
    private final long offset;
    private final RunningCall call;
    private final CompletableFuture<Boolean> settled;
    private volatile boolean abandoned;

    SamplingJob(String requestId, TopicPartition partition, long offset, RunningCall call,
            CompletableFuture<Boolean> settled) {
        this.requestId = requestId;
        this.partition = partition;
        this.offset = offset;
        this.call = call;
        this.settled = settled;
    }

    String requestId() {
        return requestId;
    }

    TopicPartition partition() {
        return partition;
    }

    long offset() {
        return offset;
    }

    CompletableFuture<Boolean> settled() {
        return settled;
    }

    /** The provider call is over and the outcome is being written (abandoning now could leave it half-known). */
    boolean writing() {
        return call == null || call.outcome().isDone();
    }

    /** The request was cancelled (or otherwise ended): abort the provider call; nothing is written. */
    void stop() {
        if (call != null) {
            call.cancel();
        }
    }

    /** The worker lets go of the request (rebalance, shutdown): abort, write nothing, and do not count it done. */
    void abandon() {
        abandoned = true;
        stop();
    }

    boolean abandoned() {
        return abandoned;
    }
}
