package io.samplingbroker.modelworker.provider;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Decides whether a failed attempt is tried again, and when, always within the request's deadline:
 * <ul>
 *   <li>permanent failures (401/403, 400, malformed bodies, unsupported content) are never retried;</li>
 *   <li>an open circuit is not retried on the same provider: it stays open longer than a backoff, and retrying
 *   would only queue requests behind the one probe;</li>
 *   <li>429 waits what the provider's Retry-After asks, when that still fits before the deadline, else gives up;</li>
 *   <li>5xx, unreachable endpoints and timeouts back off exponentially (with jitter, so that many requests failing
 *   together do not retry together) as long as the next attempt fits before the deadline;</li>
 *   <li>at most the provider's {@code maxRetries} retries.</li>
 * </ul>
 */
public final class RetryPolicy {

    /** An attempt needs at least this much time to be worth starting. */
    static final Duration MIN_ATTEMPT = Duration.ofMillis(100);

    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final DoubleSupplier random;

    /**
     * @param firstBackoff the pause before the first retry; each later one doubles, up to {@code maxBackoff}
     * @param random numbers in [0, 1) for jitter: each pause is between half and all of its nominal value
     */
    public RetryPolicy(Duration firstBackoff, Duration maxBackoff, DoubleSupplier random) {
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.random = random;
    }

    public static RetryPolicy standard() {
        return new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(8), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param failure the attempt's failure
     * @param attempts attempts made so far (1 after the first)
     * @param maxRetries retries the provider allows
     * @param remaining time left before the request's deadline
     */
    public RetryDecision decide(ProviderFailure failure, int attempts, int maxRetries, Duration remaining) {
        FailureCode code = failure.code();
        if (!code.isTransient() || code == FailureCode.PROVIDER_CIRCUIT_OPEN) {
            return RetryDecision.giveUp(failure.getMessage());
        }
        if (attempts > maxRetries) {
            return RetryDecision.giveUp(failure.getMessage() + "; gave up after " + attempts + " attempt"
                    + (attempts == 1 ? "" : "s"));
        }
        boolean providerAsked = code == FailureCode.PROVIDER_RATE_LIMITED && failure.retryAfter() != null;
        Duration delay = providerAsked ? failure.retryAfter() : backoff(attempts);
        if (remaining.minus(delay).compareTo(MIN_ATTEMPT) < 0) {
            String wait = providerAsked ? "Retry-After " + seconds(delay) + " s" : "the next attempt";
            return RetryDecision.giveUp(failure.getMessage() + "; " + wait + " does not fit before the deadline");
        }
        return RetryDecision.retryAfter(delay);
    }

    /** Nominal pause doubles per attempt (capped), then full-to-half jitter. */
    Duration backoff(int attempts) {
        long nominal = firstBackoff.toMillis() << Math.min(attempts - 1, 20);
        long capped = Math.min(nominal, maxBackoff.toMillis());
        return Duration.ofMillis(Math.round(capped * (0.5 + 0.5 * random.getAsDouble())));
    }

    private static String seconds(Duration delay) {
        long millis = delay.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
