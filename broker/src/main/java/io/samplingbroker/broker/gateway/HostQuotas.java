package io.samplingbroker.broker.gateway;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.samplingbroker.broker.GatewayLimits;

/**
 * What each host holds of the gateway now (sessions, requests in flight) against {@link GatewayLimits}: a host at its
 * limit is refused while every other host is served. Thread-safe (one lock: a few map operations per request);
 * every granted permit must be given back once.
 */
final class HostQuotas {

    /** Why a host was refused, and when to try again. */
    record Refusal(String message, Duration retryAfter) {
    }

    static final Duration SESSION_RETRY = Duration.ofSeconds(30);
    static final Duration CALL_RETRY = Duration.ofSeconds(1);

    private final GatewayLimits limits;
    private final Map<String, Integer> sessions = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private int sessionsTotal;

    HostQuotas(GatewayLimits limits) {
        this.limits = limits;
    }

    /** Takes a session for {@code host}; null when granted, else the refusal (nothing taken). */
    synchronized Refusal openSession(String host) {
        if (sessionsTotal >= limits.sessionsTotal()) {
            return new Refusal("Too many sessions on this gateway (broker.limits.sessions.total="
                    + limits.sessionsTotal() + "); try again later", SESSION_RETRY);
        }
        if (!take(sessions, host, limits.sessionsPerHost())) {
            return new Refusal("Too many open sessions for host " + host + " (broker.limits.sessions.per.host="
                    + limits.sessionsPerHost() + "): close one (DELETE) or let it idle out", SESSION_RETRY);
        }
        sessionsTotal++;
        return null;
    }

    synchronized void sessionClosed(String host) {
        if (give(sessions, host)) {
            sessionsTotal--;
        }
    }

    /** Takes a request in flight for {@code host}; null when granted, else the refusal. */
    synchronized Refusal startCall(String host) {
        if (!take(calls, host, limits.callsPerHost())) {
            return new Refusal("Too many requests in flight for host " + host + " (broker.limits.calls.per.host="
                    + limits.callsPerHost() + ")", CALL_RETRY);
        }
        return null;
    }

    synchronized void callEnded(String host) {
        give(calls, host);
    }

    private static boolean take(Map<String, Integer> counts, String host, int limit) {
        int held = counts.getOrDefault(host, 0);
        if (held >= limit) {
            return false;
        }
        counts.put(host, held + 1);
        return true;
    }

    /** Gives one back; false when the host held none (a permit given back twice is not counted twice). */
    private static boolean give(Map<String, Integer> counts, String host) {
        Integer held = counts.get(host);
        if (held == null) {
            return false;
        }
        if (held <= 1) {
            counts.remove(host);
        } else {
            counts.put(host, held - 1);
        }
        return true;
    }
}
