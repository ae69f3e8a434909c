package io.samplingbroker.modelworker.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's provider call: attempts on its model and then its fallbacks, pauses between retries, and
 * cancellation. A model that fails transiently (429, 5xx, timeout, open circuit) or cannot take the content hands
 * over to the next model at once, without its retries: a fallback exists so a request does not wait on a failing
 * provider. The last model retries by the {@link RetryPolicy}. The outcome future always completes: answered, failed
 * for good, or cancelled, with every attempt made. Callbacks may run on the provider's threads, so state changes are
 * guarded by this object's lock; dependants should continue asynchronously on their own executor.
 */
public final class RunningCall {

    private static final Logger LOG = LoggerFactory.getLogger(RunningCall.class);

    private final List<CallTarget> targets;
    private final Instant deadline;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final RetryPolicy policy;
    private final CompletableFuture<CallOutcome> outcome = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private final List<Attempt> tried = new ArrayList<>();

    private int target;
    private int attemptsOnTarget;
    private boolean cancelled;
    private CompletableFuture<ProviderAnswer> currentAttempt;
    private Instant currentStartedAt;
    private long currentStartNanos;
    private ScheduledFuture<?> pendingRetry;

    RunningCall(List<CallTarget> targets, Instant deadline, ScheduledExecutorService scheduler, Clock clock,
            RetryPolicy policy) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a call needs at least one model to call");
        }
        this.targets = List.copyOf(targets);
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
            outcome.complete(new CallOutcome.Cancelled(tried));
        }
        stop(attempt, retry);
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
            if (attempt != null) {
                recordAttempt(FailureCode.PROVIDER_TIMEOUT, null);
            }
            finish(FailureCode.PROVIDER_TIMEOUT, "Provider '" + current().provider().name()
                    + "' gave no answer before the request's deadline", null);
        }
        stop(attempt, retry);
    }

    private static void stop(CompletableFuture<ProviderAnswer> attempt, ScheduledFuture<?> retry) {
        if (retry != null) {
            retry.cancel(false);
        }
        if (attempt != null) {
            attempt.cancel(true);
        }
    }

    private CallTarget current() {
        return targets.get(target);
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
        CallTarget next = current();
        Duration timeout = next.call().timeout().compareTo(remaining) < 0 ? next.call().timeout() : remaining;
        attemptsOnTarget++;
        currentStartedAt = clock.instant();
        currentStartNanos = System.nanoTime();
        CompletableFuture<ProviderAnswer> attempt = call(next, timeout);
        currentAttempt = attempt;
        attempt.whenComplete((answer, error) -> attemptEnded(attempt, answer, error));
    }

    private static CompletableFuture<ProviderAnswer> call(CallTarget target, Duration timeout) {
        try {
            return target.provider().call(target.call().withTimeout(timeout));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private synchronized void attemptEnded(CompletableFuture<ProviderAnswer> attempt, ProviderAnswer answer,
            Throwable error) {
        if (attempt != currentAttempt || cancelled || outcome.isDone()) {
            return; // cancelled by the deadline or by the worker, and already logged so
        }
        currentAttempt = null;
        CallTarget ended = current();
        if (error == null) {
            recordAttempt(null, null);
            outcome.complete(new CallOutcome.Answered(answer, ended.provider().name(), ended.model(), tried,
                    elapsedMillis()));
            return;
        }
        ProviderFailure failure = asFailure(error);
        recordAttempt(failure.code(), failure.httpStatus());
        if (target < targets.size() - 1 && handsOver(failure.code())) {
            target++;
            attemptsOnTarget = 0;
            LOG.info("Request {}: model {} (provider {}) failed ({}, status {}); falling back to model {}",
                    ended.call().requestId(), ended.model(), ended.provider().name(), failure.code(),
                    failure.httpStatus(), current().model());
            pendingRetry = scheduler.schedule(() -> attempt(failure), 0, TimeUnit.MILLISECONDS);
            return;
        }
        Duration remaining = Duration.between(clock.instant(), deadline);
        RetryDecision decision = policy.decide(failure, attemptsOnTarget, ended.maxRetries(), remaining);
        if (!decision.retry()) {
            finish(failure.code(), decision.reason(), failure.httpStatus());
            return;
        }
        LOG.info("Request {}: provider {} attempt {} failed ({}, status {}); retrying in {} ms",
                ended.call().requestId(), ended.provider().name(), attemptsOnTarget, failure.code(),
                failure.httpStatus(), decision.delay().toMillis());
        pendingRetry = scheduler.schedule(() -> attempt(failure), decision.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What a fallback can answer where this model failed: a passing fault of its provider, or content it lacks. */
    private static boolean handsOver(FailureCode code) {
        return code.isTransient() || code == FailureCode.UNSUPPORTED_CONTENT;
    }

    private void recordAttempt(FailureCode code, Integer httpStatus) {
        CallTarget at = current();
        tried.add(new Attempt(at.provider().name(), at.model(), currentStartedAt,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - currentStartNanos), code, httpStatus));
    }

    private void finish(FailureCode code, String reason, Integer status) {
        outcome.complete(new CallOutcome.Failed(code, reason, status, tried, elapsedMillis()));
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
        String provider = current().provider().name();
        if (cause instanceof CancellationException) {
            return new ProviderFailure(FailureCode.INTERNAL_ERROR, "the provider call was cancelled unexpectedly");
        }
        LOG.warn("Request {}: provider {} failed unexpectedly: {}", current().call().requestId(), provider,
                cause.getClass().getName());
        return new ProviderFailure(FailureCode.INTERNAL_ERROR, "internal error calling provider '" + provider
                + "' (" + cause.getClass().getSimpleName() + ")");
    }
}
