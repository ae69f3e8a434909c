package io.samplingbroker.audit.verify;

import java.util.stream.Collectors;

import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.Timeline;

/**
 * No event refers to a request whose SamplingRequested was not read. Events of requests asked before {@code --from}
 * are not errors: every event carries its request's {@code requestedAt}, so the replay drops those as carried over
 * before this check sees them. An event for a request whose timeline was already closed is reported too: it came
 * later than any stage should write.
 */
public final class KnownRequestCheck implements AuditCheck {

    @Override
    public String name() {
        return "known-request";
    }

    @Override
    public void onTimeline(Timeline timeline, AuditScope scope, Findings findings) {
        if (!timeline.requested()) {
            String types = timeline.events().stream().map(e -> e.type().label()).collect(Collectors.joining(", "));
            findings.add(name(), timeline.requestId(), locations(timeline),
                    timeline.events().size() + " event(s) (" + types + ") for a request whose SamplingRequested is not"
                            + " in the replayed range" + (timeline.requestedAt() == null ? ""
                                    : " (its context says it was requested at " + timeline.requestedAt() + ")"));
        }
    }

    @Override
    public void onLateEvent(String requestId, AuditEvent event, Findings findings) {
        findings.add(name(), requestId, event.location(), event.type().label()
                + " arrived after the request's timeline was closed (long after its terminal event or deadline)");
    }

    static String locations(Timeline timeline) {
        return timeline.events().stream().map(AuditEvent::location).collect(Collectors.joining(", "));
    }
}
