package io.samplingbroker.modelworker.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's provider call: attempts, pauses between them, and cancellation. The outcome future always
 * completes: answered, failed for good, or cancelled. Callbacks may run on the provider's threads, so state changes
 * are guarded by this object's lock; dependants should continue asynchronously on their own executor.
 */
public final class RunningCall {

    private static final Logger LOG = LoggerFactory.getLogger(RunningCall.class);

    private final ModelProvider provider;
    private final ProviderCall call;
    private final int maxRetries;
    private final Instant deadline;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final RetryPolicy policy;
    private final CompletableFuture<CallOutcome> outcome = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();

    private int attempts;
    private boolean cancelled;
    private CompletableFuture<ProviderAnswer> currentAttempt;
    private ScheduledFuture<?> pendingRetry;

    RunningCall(ModelProvider provider, ProviderCall call, int maxRetries, Instant deadline,
            ScheduledExecutorService scheduler, Clock clock, RetryPolicy policy) {
        this.provider = provider;
        this.call = call;
        this.maxRetries = maxRetries;
        this.deadline = deadline;
        this.scheduler = scheduler;
        this.clock = clock;
        this.policy = policy;
    }

    public CompletableFuture<CallOutcome> outcome() {
        return outcome;
    }

    /** Aborts the attempt in flight (where the transport allows) and any pending retry; the outcome is Cancelled. */
    public void cancel() {
        CompletableFuture<ProviderAnswer> attempt;
        ScheduledFuture<?> retry;
        synchronized (this) {
            if (outcome.isDone()) {
                return;
            }
            cancelled = true;
            attempt = currentAttempt;
            retry = pendingRetry;
            outcome.complete(new CallOutcome.Cancelled(attempts));
        }
        if (retry != null) {
            retry.cancel(false);
        }
        if (attempt != null) {
            attempt.cancel(true);
        }
    }

    /**
     * Starts the first attempt, and a timer that ends the call at the deadline whatever it is doing: an attempt
     * waiting in the provider's queue (its concurrency limit) has not started its own timeout yet.
     */
    synchronized void begin() {
        long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        ScheduledFuture<?> timer = scheduler.schedule(this::deadlineReached, millis, TimeUnit.MILLISECONDS);
        outcome.whenComplete((done, error) -> timer.cancel(false));
        attempt(null);
    }

    private void deadlineReached() {
        CompletableFuture<ProviderAnswer> attempt;
        ScheduledFuture<?> retry;
        synchronized (this) {
            if (outcome.isDone()) {
                return;
            }
            attempt = currentAttempt;
            retry = pendingRetry;
            finish(FailureCode.PROVIDER_TIMEOUT, "Provider '" + provider.name()
                    + "' gave no answer before the request's deadline", null);
        }
        if (retry != null) {
            retry.cancel(false);
        }
        if (attempt != null) {
            attempt.cancel(true);
        }
    }

    private synchronized void attempt(ProviderFailure previous) {
        pendingRetry = null;
        if (cancelled || outcome.isDone()) {
            return;
        }
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.compareTo(RetryPolicy.MIN_ATTEMPT) < 0) {
            String reason = previous == null ? "the request's deadline passed before the provider was called"
                    : previous.getMessage() + "; the request's deadline passed";
            finish(FailureCode.PROVIDER_TIMEOUT, reason, previous == null ? null : previous.httpStatus());
            return;
        }
        Duration timeout = call.timeout().compareTo(remaining) < 0 ? call.timeout() : remaining;
        attempts++;
        CompletableFuture<ProviderAnswer> attempt;
        try {
            attempt = provider.call(call.withTimeout(timeout));
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        currentAttempt = attempt;
        attempt.whenComplete((answer, error) -> attemptEnded(answer, error));
    }

    private synchronized void attemptEnded(ProviderAnswer answer, Throwable error) {
        currentAttempt = null;
        if (cancelled || outcome.isDone()) {
            return;
        }
        if (error == null) {
            outcome.complete(new CallOutcome.Answered(answer, attempts, elapsedMillis()));
            return;
        }
        ProviderFailure failure = asFailure(error);
        Duration remaining = Duration.between(clock.instant(), deadline);
        RetryDecision decision = policy.decide(failure, attempts, maxRetries, remaining);
        if (!decision.retry()) {
            finish(failure.code(), decision.reason(), failure.httpStatus());
            return;
        }
        LOG.info("Request {}: provider {} attempt {} failed ({}, status {}); retrying in {} ms", call.requestId(),
                provider.name(), attempts, failure.code(), failure.httpStatus(), decision.delay().toMillis());
        pendingRetry = scheduler.schedule(() -> attempt(failure), decision.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finish(FailureCode code, String reason, Integer status) {
        outcome.complete(new CallOutcome.Failed(code, reason, status, attempts, elapsedMillis()));
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Anything but a ProviderFailure is a fault of ours; its text is not published, its type is logged. */
    private ProviderFailure asFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ProviderFailure failure) {
            return failure;
        }
        if (cause instanceof CancellationException) {
            return new ProviderFailure(FailureCode.INTERNAL_ERROR, "the provider call was cancelled unexpectedly");
        }
        LOG.warn("Request {}: provider {} failed unexpectedly: {}", call.requestId(), provider.name(),
                cause.getClass().getName());
        return new ProviderFailure(FailureCode.INTERNAL_ERROR, "internal error calling provider '" + provider.name()
                + "' (" + cause.getClass().getSimpleName() + ")");
    }
}
