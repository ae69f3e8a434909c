package io.samplingbroker.approvalworker.decision;

/** What a request that is let through adds to a counter. */
public record UsageCharge(UsageBucket bucket, long amount) {
}
