package io.samplingbroker.approvalworker.decision;

/** The counters the limits read. The evaluator only reads; the caller charges once a decision lets a request through. */
@FunctionalInterface
public interface UsageLedger {

    /** How much was counted in the bucket so far; 0 for a bucket never charged. */
    long used(UsageBucket bucket);
}
