package io.samplingbroker.modelworker.catalogue;

import java.time.Duration;
import java.util.Objects;

/**
 * When a provider's circuit opens, and for how long. The circuit opens when, within the last {@code window}, at least
 * {@code failureThreshold} attempts failed transiently (429, 5xx, unreachable, timeout) and they were at least
 * {@code failureRatio} of the attempts: a count alone would open it on a busy provider's normal error rate. While
 * open, attempts fail at once; after {@code openFor} one attempt probes, and its result closes or reopens it.
 *
 * @param failureThreshold failures in the window that may open the circuit; 0 turns the breaker off
 * @param failureRatio the share of the window's attempts that must have failed, in (0, 1]
 * @param window how far back failures count
 * @param openFor how long the circuit stays open before a probe
 */
public record CircuitBreakerSettings(int failureThreshold, double failureRatio, Duration window, Duration openFor) {

    public static final CircuitBreakerSettings DEFAULT =
            new CircuitBreakerSettings(5, 0.5, Duration.ofSeconds(30), Duration.ofSeconds(30));
    public static final CircuitBreakerSettings OFF = new CircuitBreakerSettings(0, 1.0, Duration.ofSeconds(1),
            Duration.ofSeconds(1));

    public CircuitBreakerSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(openFor, "openFor");
        if (failureThreshold < 0) {
            throw new IllegalArgumentException("circuitBreaker.failureThreshold must be 0 (off) or more");
        }
        if (!(failureRatio > 0 && failureRatio <= 1)) {
            throw new IllegalArgumentException("circuitBreaker.failureRatio must be more than 0 and at most 1");
        }
        if (window.toMillis() < 10 || openFor.toMillis() < 1) {
            throw new IllegalArgumentException("circuitBreaker.windowMs must be at least 10 and openMs positive");
        }
    }

    public boolean enabled() {
        return failureThreshold > 0;
    }
}
