package io.samplingbroker.modelworker.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.modelworker.catalogue.CircuitBreakerSettings;

/**
 * Stops calling a provider that keeps failing, so requests go to their fallback (or fail at once) instead of waiting
 * for timeouts, and the provider gets room to recover. Closed, it counts each attempt's outcome in a sliding window;
 * open ({@link CircuitBreakerSettings}), attempts fail at once with {@link FailureCode#PROVIDER_CIRCUIT_OPEN}; after
 * the open time the next attempt is the one probe (half-open), the others still fail at once; the probe's answer
 * closes the circuit, its transient failure reopens it. Only transient failures (429, 5xx, unreachable, timeout)
 * count against the provider: a 400 or 401 is an answer of a working provider. Cancelled attempts count for nothing.
 */
final class CircuitBreaker implements ModelProvider {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final int BUCKETS = 10;

    private final ModelProvider provider;
    private final CircuitBreakerSettings settings;
    private final Clock clock;
    private final CircuitListener listener;
    private final long bucketMillis;
    private final long[] bucketEpoch = new long[BUCKETS];
    private final int[] bucketAttempts = new int[BUCKETS];
    private final int[] bucketFailures = new int[BUCKETS];

    private CircuitState state = CircuitState.CLOSED;
    private Instant openUntil = Instant.MIN;
    private boolean probing;
    private String openedBecause = "";

    CircuitBreaker(ModelProvider provider, CircuitBreakerSettings settings, Clock clock, CircuitListener listener) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("the circuit breaker of provider '" + provider.name() + "' is off");
        }
        this.provider = provider;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.bucketMillis = Math.max(1, settings.window().toMillis() / BUCKETS);
    }

    @Override
    public String name() {
        return provider.name();
    }

    synchronized CircuitState state() {
        return state;
    }

    @Override
    public CompletableFuture<ProviderAnswer> call(ProviderCall call) {
        Admission admission = admit(clock.instant());
        if (admission.changedTo() != null) {
            announce(admission.changedTo(), "the open time passed; the next attempt probes");
        }
        if (admission.rejection() != null) {
            return CompletableFuture.failedFuture(admission.rejection());
        }
        CompletableFuture<ProviderAnswer> attempt;
        try {
            attempt = provider.call(call);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        boolean probe = admission.probe();
        attempt.whenComplete((answer, error) -> ended(probe, error));
        return attempt;
    }

    private record Admission(boolean probe, ProviderFailure rejection, CircuitState changedTo) {
    }

    private synchronized Admission admit(Instant now) {
        CircuitState changedTo = null;
        if (state == CircuitState.OPEN && !now.isBefore(openUntil)) {
            state = CircuitState.HALF_OPEN;
            changedTo = state;
        }
        if (state == CircuitState.CLOSED) {
            return new Admission(false, null, null);
        }
        if (state == CircuitState.HALF_OPEN && !probing) {
            probing = true;
            return new Admission(true, null, changedTo);
        }
        Duration wait = state == CircuitState.OPEN ? Duration.between(now, openUntil) : null;
        String when = wait == null ? "a probe is in flight"
                : "the next probe in " + String.format(Locale.ROOT, "%.1f", wait.toMillis() / 1000.0) + " s";
        return new Admission(false, new ProviderFailure(FailureCode.PROVIDER_CIRCUIT_OPEN, "the circuit of provider '"
                + provider.name() + "' is open (" + openedBecause + "); " + when, null, wait), changedTo);
    }

    private void ended(boolean probe, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            if (probe) {
                synchronized (this) {
                    probing = false; // the next attempt probes instead
                }
            }
            return;
        }
        boolean failed = cause instanceof ProviderFailure failure && failure.code().isTransient();
        String why = failed ? ((ProviderFailure) cause).code().name() : null;
        CircuitState changedTo;
        String reason;
        synchronized (this) {
            Instant now = clock.instant();
            if (probe) {
                probing = false;
                changedTo = failed ? open(now, "the probe failed with " + why) : reset();
                reason = failed ? openedBecause : "the probe answered";
            } else if (state == CircuitState.CLOSED) {
                changedTo = count(now, failed);
                reason = openedBecause;
            } else {
                return; // started before the circuit opened: the probe decides now
            }
        }
        if (changedTo != null) {
            announce(changedTo, reason);
        }
    }

    /** Counts one attempt in the window; opens the circuit when the window crosses both thresholds. */
    private CircuitState count(Instant now, boolean failed) {
        long epoch = now.toEpochMilli() / bucketMillis;
        int slot = (int) Math.floorMod(epoch, (long) BUCKETS);
        if (bucketEpoch[slot] != epoch) {
            bucketEpoch[slot] = epoch;
            bucketAttempts[slot] = 0;
            bucketFailures[slot] = 0;
        }
        bucketAttempts[slot]++;
        if (!failed) {
            return null;
        }
        bucketFailures[slot]++;
        int attempts = 0;
        int failures = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketEpoch[i] > epoch - BUCKETS) {
                attempts += bucketAttempts[i];
                failures += bucketFailures[i];
            }
        }
        if (failures < settings.failureThreshold() || failures < settings.failureRatio() * attempts) {
            return null;
        }
        return open(now, failures + " of " + attempts + " attempts failed in the last "
                + settings.window().toSeconds() + " s");
    }

    private CircuitState open(Instant now, String because) {
        state = CircuitState.OPEN;
        openUntil = now.plus(settings.openFor());
        openedBecause = because;
        return state;
    }

    private CircuitState reset() {
        state = CircuitState.CLOSED;
        Arrays.fill(bucketAttempts, 0);
        Arrays.fill(bucketFailures, 0);
        return state;
    }

    private void announce(CircuitState to, String reason) {
        if (to == CircuitState.OPEN) {
            LOG.warn("Provider {}: circuit open for {} ms: {}", provider.name(), settings.openFor().toMillis(), reason);
        } else {
            LOG.info("Provider {}: circuit {}: {}", provider.name(), to.label(), reason);
        }
        listener.changed(provider.name(), to);
    }

    @Override
    public void close() {
        provider.close();
    }
}
