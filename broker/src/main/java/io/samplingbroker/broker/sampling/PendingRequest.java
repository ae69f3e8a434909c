package io.samplingbroker.broker.sampling;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.samplingbroker.events.SamplingContext;

/** A sampling request waiting for its outcome on this broker instance. */
final class PendingRequest {

    final SamplingContext context;
    final CompletableFuture<SamplingOutcome> outcome = new CompletableFuture<>();
    final ChainHead chain = new ChainHead();
    volatile DeadlineScheduler.Cancellable expiry;

    PendingRequest(SamplingContext context) {
        this.context = context;
    }

    String requestId() {
        return context.getRequestId();
    }

    /** How long the request may wait for its outcome, as its context records it. */
    Duration timeAllowed() {
        return Duration.between(context.getRequestedAt(), context.getDeadline());
    }
}
