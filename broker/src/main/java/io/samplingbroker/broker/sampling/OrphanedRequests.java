package io.samplingbroker.broker.sampling;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.samplingbroker.events.SamplingContext;

/**
 * The requests an earlier run of this broker instance took and never concluded, read back from its own history:
 * every request whose reply route names this instance, minus those with a lifecycle event. Only a run that was
 * killed leaves any (a clean stop abandons what it holds), and no one else will ever end them: the sessions that
 * asked died with that run. Fed in topic order, one record at a time.
 */
final class OrphanedRequests {

    /** A request without an end, and the hash of its request event (what its abandonment follows). */
    record Orphan(SamplingContext context, byte[] requestHash) {
        Orphan {
            Objects.requireNonNull(context, "context");
        }
    }

    private final String instanceId;
    private final Map<String, Orphan> open = new LinkedHashMap<>();
    private final Set<String> concluded = new HashSet<>();

    OrphanedRequests(String instanceId) {
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    }

    /** A request event: kept if this instance held its session. */
    void requested(SamplingContext context, byte[] requestHash) {
        String requestId = context.getRequestId();
        if (instanceId.equals(context.getReplyRoute().getBrokerInstanceId()) && !concluded.contains(requestId)) {
            open.put(requestId, new Orphan(context, requestHash));
        }
    }

    /**
     * A lifecycle event of {@code requestId}: the broker recorded how it ended (delivered, cancelled, expired or
     * abandoned). The two topics are read one after the other, so an end may come before its request.
     */
    void ended(String requestId) {
        open.remove(requestId);
        concluded.add(requestId);
    }

    /** The requests left without an end, in the order they were asked. */
    List<Orphan> orphans() {
        return new ArrayList<>(open.values());
    }
}
