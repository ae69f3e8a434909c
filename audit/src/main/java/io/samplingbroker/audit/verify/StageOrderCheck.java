package io.samplingbroker.audit.verify;

import java.util.List;
import java.util.stream.Collectors;

import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.EventType;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.schemas.SamplingErrors;

/**
 * The stages happen in order: nothing before the request, no model answer without an approving decision, no
 * delivery without a result (an expiry explains a delivered -32001), at most one delivery, none after a cancellation
 * or abandonment.
 */
public final class StageOrderCheck implements AuditCheck {

    @Override
    public String name() {
        return "stage-order";
    }

    @Override
    public void onTimeline(Timeline timeline, AuditScope scope, Findings findings) {
        AuditEvent request = timeline.requestEvent();
        if (request == null) {
            return; // the known-request check reports it
        }
        List<AuditEvent> events = timeline.events();
        for (AuditEvent event : events) {
            if (event != request && event.type() != EventType.REVIEW_COMMAND && event.occurredAt() != null
                    && request.occurredAt() != null && event.occurredAt().isBefore(request.occurredAt())) {
                findings.add(name(), timeline.requestId(), event.location() + ", " + request.location(),
                        event.type().label() + " at " + event.occurredAt() + " is before its request at "
                                + request.occurredAt());
            }
        }
        boolean approved = false;
        boolean resultOrError = false;
        boolean expired = false;
        boolean ended = false;
        List<AuditEvent> deliveries = events.stream().filter(e -> e.type() == EventType.DELIVERED).toList();
        for (AuditEvent event : events) {
            switch (event.type()) {
                case DECIDED -> approved |= "APPROVED".equals(event.decision()) || "AMENDED".equals(event.decision());
                case COMPLETED, FAILED -> {
                    if (!approved) {
                        findings.add(name(), timeline.requestId(), event.location(),
                                event.type().label() + " without an earlier approving decision");
                    }
                }
                case RESOLVED -> resultOrError = true;
                case EXPIRED -> expired = true;
                case CANCELLED, ABANDONED -> ended = true;
                case DELIVERED -> {
                    boolean explained = resultOrError
                            || expired && Integer.valueOf(SamplingErrors.SAMPLING_EXPIRED).equals(event.errorCode());
                    if (!explained) {
                        findings.add(name(), timeline.requestId(), event.location(), "delivery of "
                                + (event.errorCode() == null ? "a result" : "error " + event.errorCode())
                                + " without a result or error on the results topic before it");
                    }
                    if (ended) {
                        findings.add(name(), timeline.requestId(), event.location(),
                                "delivery after the request was cancelled or abandoned");
                    }
                }
                default -> {
                }
            }
        }
        if (deliveries.size() > 1) {
            findings.add(name(), timeline.requestId(),
                    deliveries.stream().map(AuditEvent::location).collect(Collectors.joining(", ")),
                    "delivered " + deliveries.size() + " times");
        }
    }
}
