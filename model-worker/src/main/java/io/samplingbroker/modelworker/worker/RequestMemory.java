package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What this worker knows about request ids, so a decision is acted on at most once per recorded outcome: outcomes
 * already recorded on the completions topic, requests this worker started, and requests stopped by a lifecycle
 * event (cancelled, expired, abandoned, delivered). Entries are forgotten a while after the request's deadline,
 * when a decision for it would be skipped as expired anyway. Used by the poll thread only.
 */
final class RequestMemory {

    /** What is known of a request. */
    enum Known {
        /** An outcome (completion or failure) is on the completions topic. */
        RECORDED,
        /** This worker is calling the provider for it. */
        STARTED,
        /** A lifecycle event ended it: no provider call, no output. */
        STOPPED
    }

    /** Clocks of different hosts differ; keep entries this much longer than their deadline. */
    static final Duration GRACE = Duration.ofMinutes(1);

    private record Entry(Known known, Instant forgetAfter) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** Records a fact; a stronger one (recorded over started, stopped over started) is never weakened. */
    void remember(String requestId, Known known, Instant deadline) {
        Entry entry = new Entry(known, deadline.plus(GRACE));
        entries.merge(requestId, entry, (old, now) -> old.known() == Known.STARTED || old.known() == now.known()
                ? now : old);
    }

    Known known(String requestId) {
        Entry entry = entries.get(requestId);
        return entry == null ? null : entry.known();
    }

    /** Forgets a request this worker started but gave up without an outcome (rebalance, shutdown). */
    void forgetStarted(String requestId) {
        entries.computeIfPresent(requestId, (id, entry) -> entry.known() == Known.STARTED ? null : entry);
    }

    void forgetExpired(Instant now) {
        entries.values().removeIf(entry -> entry.forgetAfter().isBefore(now));
    }

    int size() {
        return entries.size();
    }
}
