package io.samplingbroker.broker.gateway;

import java.time.Duration;

import io.samplingbroker.broker.GatewayLimits;
import io.samplingbroker.broker.sampling.KeyedCounts;

/**
 * What each host holds of the gateway now (sessions, requests in flight) against {@link GatewayLimits}: a host at its
 * limit is refused while every other host is served. Thread-safe (one lock: a few map operations per request);
 * every granted permit must be given back once.
 */
public final class HostQuotas {

    /** Why a host was refused, and when to try again. */
    public record Refusal(String message, Duration retryAfter) {
    }

    static final Duration SESSION_RETRY = Duration.ofSeconds(30);
    static final Duration CALL_RETRY = Duration.ofSeconds(1);

    private final GatewayLimits limits;
    private final KeyedCounts sessions = new KeyedCounts();
    private final KeyedCounts calls = new KeyedCounts();
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
        if (!sessions.take(host, limits.sessionsPerHost())) {
            return new Refusal("Too many open sessions for host " + host + " (broker.limits.sessions.per.host="
                    + limits.sessionsPerHost() + "): close one (DELETE) or let it idle out", SESSION_RETRY);
        }
        sessionsTotal++;
        return null;
    }

    synchronized void sessionClosed(String host) {
        if (sessions.give(host)) {
            sessionsTotal--;
        }
    }

    /** Takes a request in flight for {@code host}; null when granted, else the refusal. */
    public synchronized Refusal startCall(String host) {
        if (!calls.take(host, limits.callsPerHost())) {
            return new Refusal("Too many requests in flight for host " + host + " (broker.limits.calls.per.host="
                    + limits.callsPerHost() + ")", CALL_RETRY);
        }
        return null;
    }

    public synchronized void callEnded(String host) {
        calls.give(host);
    }
}
