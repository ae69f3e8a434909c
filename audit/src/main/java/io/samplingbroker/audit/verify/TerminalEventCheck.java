package io.samplingbroker.audit.verify;

import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.Outcome;
import io.samplingbroker.audit.timeline.Timeline;

/**
 * Every request ends with a terminal lifecycle event (delivered, cancelled, expired or abandoned), unless it is still
 * within its deadline plus the grace period (then it is open, and counted, not an error).
 */
public final class TerminalEventCheck implements AuditCheck {

    @Override
    public String name() {
        return "terminal";
    }

    @Override
    public void onTimeline(Timeline timeline, AuditScope scope, Findings findings) {
        if (timeline.requested() && timeline.outcome() == Outcome.UNTERMINATED) {
            AuditEvent last = timeline.events().get(timeline.events().size() - 1);
            findings.add(name(), timeline.requestId(), last.location(),
                    "no terminal lifecycle event (delivered, cancelled, expired, abandoned) although its deadline "
                            + timeline.deadline() + " plus " + scope.grace().toSeconds() + " s grace has passed; last event: "
                            + last.type().label());
        }
    }
}
