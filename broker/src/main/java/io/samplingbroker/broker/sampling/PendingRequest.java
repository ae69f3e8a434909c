package io.samplingbroker.broker.sampling;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.samplingbroker.events.SamplingContext;

/** A sampling request waiting for its outcome on this broker instance. */
final class PendingRequest {

    final SamplingContext context;
    /** The request's spans on this instance; its events are written under them. */
    final RequestTrace trace;
    final CompletableFuture<SamplingOutcome> outcome = new CompletableFuture<>();
    final ChainHead chain = new ChainHead();
    volatile DeadlineScheduler.Cancellable expiry;

    PendingRequest(SamplingContext context, RequestTrace trace) {
        this.context = context;
        this.trace = trace;
    }

    /** A request traced nowhere (tests of what does not depend on its trace). */
    PendingRequest(SamplingContext context) {
        this(context, RequestTrace.NONE);
    }

    String requestId() {
        return context.getRequestId();
    }

    /** How long the request may wait for its outcome, as its context records it. */
    Duration timeAllowed() {
        return Duration.between(context.getRequestedAt(), context.getDeadline());
    }
}
