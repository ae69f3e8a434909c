package io.samplingbroker.broker.sampling;

/**
 * How many sampling requests each session and each host has waiting on this instance, against
 * {@link SamplingLimits#pendingPerSession()} and {@link SamplingLimits#pendingPerHost()}: a server that loops on
 * {@code sampling/createMessage}, or a host whose servers all do, is refused while every other one is served.
 * Thread-safe; a request that was let in gives its place back once, when its outcome is known.
 */
final class PendingQuota {

    private final SamplingLimits limits;
    private final KeyedCounts bySession = new KeyedCounts();
    private final KeyedCounts byHost = new KeyedCounts();

    PendingQuota(SamplingLimits limits) {
        this.limits = limits;
    }

    /** Takes a place for a request of {@code session} and {@code host}; null when taken, else why not (nothing taken). */
    synchronized String take(String session, String host) {
        if (!bySession.take(session, limits.pendingPerSession())) {
            return "Too many sampling requests waiting for this session (broker.sampling.pending.per.session="
                    + limits.pendingPerSession() + "): wait for an answer before asking again";
        }
        if (!byHost.take(host, limits.pendingPerHost())) {
            bySession.give(session);
            return "Too many sampling requests waiting for this host (broker.sampling.pending.per.host="
                    + limits.pendingPerHost() + "): wait for an answer before asking again";
        }
        return null;
    }

    synchronized void give(String session, String host) {
        bySession.give(session);
        byHost.give(host);
    }
}
