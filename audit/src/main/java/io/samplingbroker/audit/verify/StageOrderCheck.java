package io.samplingbroker.audit.verify;

import java.util.List;
import java.util.stream.Collectors;

import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.EventMapper;
import io.samplingbroker.audit.timeline.EventType;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.schemas.SamplingErrors;

/**
 * The stages happen in order: nothing before the request, no answer (a model's, or the host's to a forwarded
 * request) without an approving or forwarding decision, no
 * delivery without an earlier event that explains it, at most one delivery, none after a cancellation or
 * abandonment.
 *
 * <p>A delivery is explained by a result or error on the results topic (a denial, a reviewed response; and, in
 * history written before the broker read completions, the model-worker's result); by an expiry, for a delivered
 * {@link SamplingErrors#SAMPLING_EXPIRED}; or by the model's outcome routed to the broker: a completion explains a
 * delivered result, a failure a delivered {@link SamplingErrors#SAMPLING_FAILED} (or, for a host's own error to a
 * forwarded request, that error's code); or by the broker's refusal, for the error it names. A completion routed to
 * review
 * explains nothing: only the reviewer's result may be delivered. A forward to the host on the results topic is an
 * instruction, not an answer: the host's answer the broker records on completions explains the delivery.
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
        boolean completedToBroker = false;
        boolean failedToBroker = false;
        Integer failureCode = null;
        Integer refusedWith = null;
        boolean routedToReview = false;
        List<AuditEvent> deliveries = events.stream().filter(e -> e.type() == EventType.DELIVERED).toList();
        for (AuditEvent event : events) {
            switch (event.type()) {
                case DECIDED -> approved |= "APPROVED".equals(event.decision()) || "AMENDED".equals(event.decision())
                        || "FORWARDED".equals(event.decision());
                case COMPLETED, FAILED -> {
                    if (!approved) {
                        findings.add(name(), timeline.requestId(), event.location(),
                                event.type().label() + " without an earlier approving or forwarding decision");
                    }
                    if (event.routedToReview()) {
                        routedToReview = true;
                    } else if (event.type() == EventType.COMPLETED) {
                        completedToBroker = true;
                    } else {
                        failedToBroker = true;
                        failureCode = event.failureAnswerCode();
                    }
                }
                case RESOLVED -> resultOrError |= !EventMapper.FORWARD_TO_HOST.equals(event.decision());
                case REFUSED -> refusedWith = event.errorCode();
                case EXPIRED -> expired = true;
                case CANCELLED, ABANDONED -> ended = true;
                case DELIVERED -> {
                    Integer code = event.errorCode();
                    boolean explained = resultOrError
                            || expired && Integer.valueOf(SamplingErrors.SAMPLING_EXPIRED).equals(code)
                            || completedToBroker && code == null
                            || failedToBroker && failureCode != null && failureCode.equals(code)
                            || refusedWith != null && refusedWith.equals(code);
                    if (!explained) {
                        findings.add(name(), timeline.requestId(), event.location(),
                                unexplained(code, completedToBroker, failedToBroker, failureCode, routedToReview));
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

    /** Why nothing before a delivery of {@code code} (null: a result) explains it. */
    private static String unexplained(Integer code, boolean completedToBroker, boolean failedToBroker,
            Integer failureCode, boolean routedToReview) {
        String delivered = code == null ? "a result" : "error " + code;
        if (completedToBroker || failedToBroker) {
            return "delivery of " + delivered + " where the model's outcome routed to the broker was "
                    + (completedToBroker ? "a completion (delivered as a result)"
                            : "a failure (delivered as error " + failureCode + ")")
                    + ", without a result or error on the results topic before it";
        }
        if (routedToReview) {
            return "delivery of " + (code == null ? "a response" : "error " + code)
                    + " routed to review without a reviewer's result";
        }
        return "delivery of " + delivered + " without a result or error on the results topic before it";
    }
}
