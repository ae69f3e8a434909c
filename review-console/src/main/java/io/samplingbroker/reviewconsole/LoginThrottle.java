package io.samplingbroker.reviewconsole;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Slows password guessing: after {@code maxFailures} failed sign-ins within {@code window} for one reviewer name,
 * or from one client address, further attempts are refused until the oldest failure leaves the window. Checked
 * before the (deliberately slow) password hash is computed, so a flood costs no CPU. Bounded: past
 * {@code maxKeys} tracked names and addresses, everyone waits, rather than memory growing without end.
 */
final class LoginThrottle {

    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_KEYS = 10_000;

    private final Map<String, Deque<Instant>> failures = new HashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds to wait before trying again, or 0 when an attempt is allowed now. */
    synchronized long retryAfterSeconds(String reviewer, String address) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_KEYS) {
            prune(now);
            if (failures.size() >= MAX_KEYS) {
                return WINDOW.toSeconds();
            }
        }
        return Math.max(wait(reviewerKey(reviewer), now), wait(addressKey(address), now));
    }

    synchronized void failed(String reviewer, String address) {
        Instant now = clock.instant();
        for (String key : new String[] {reviewerKey(reviewer), addressKey(address)}) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            times.addLast(now);
            while (times.size() > MAX_FAILURES) {
                times.removeFirst();
            }
        }
    }

    /** A right password clears the name's failures (not the address's: one account must not unlock others). */
    synchronized void succeeded(String reviewer) {
        failures.remove(reviewerKey(reviewer));
    }

    synchronized void prune() {
        prune(clock.instant());
    }

    private void prune(Instant now) {
        failures.values().removeIf(times -> {
            times.removeIf(time -> !time.plus(WINDOW).isAfter(now));
            return times.isEmpty();
        });
    }

    private long wait(String key, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        times.removeIf(time -> !time.plus(WINDOW).isAfter(now));
        if (times.size() < MAX_FAILURES) {
            return 0;
        }
        long millis = Duration.between(now, times.peekFirst().plus(WINDOW)).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private static String reviewerKey(String reviewer) {
        return "reviewer:" + reviewer;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
