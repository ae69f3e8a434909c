package io.samplingbroker.audit.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.SamplingErrors;

/**
 * One request's history as the audit rebuilt it: its context (who asked, for whom, when, until when) and its events
 * in replay order. Built incrementally while the topics are read, closed once it can change no more.
 */
public final class Timeline {

    private final String requestId;
    private final int partition;
    private String traceId;
    private String host;
    private String tenant;
    private String server;
    private String session;
    private Instant requestedAt;
    private Instant deadline;
    private boolean requested;
    private final List<AuditEvent> events = new ArrayList<>(6);
    private AuditEvent terminal;
    private boolean open;

    public Timeline(String requestId, int partition) {
        this.requestId = requestId;
        this.partition = partition;
    }

    /** Adds an event; the context fills the request's facts when it is the first seen (every event carries it). */
    public void add(AuditEvent event, SamplingContext context) {
        boolean requestEvent = event.type() == EventType.REQUESTED || event.type() == EventType.REFUSED;
        if (context != null && (host == null || requestEvent)) {
            traceId = context.getTraceId();
            host = context.getHostId();
            tenant = context.getTenant();
            server = context.getServerName();
            session = context.getSessionId();
            requestedAt = context.getRequestedAt();
            deadline = context.getDeadline();
        }
        if (requestEvent) {
            requested = true;
        }
        if (event.type().isTerminal() && terminal == null) {
            terminal = event;
        }
        events.add(event);
    }

    /**
     * Puts the events in the order they happened, by their own {@code occurredAt}. The replay reads by record
     * timestamp, which Kafka Streams copies from the input record (a reviewer's decision carries its command's
     * timestamp), so that order can put an effect beside its cause; the sort is stable, so equal times keep it.
     */
    public void sortByOccurrence() {
        events.sort(Comparator.comparing(e -> e.occurredAt() != null ? e.occurredAt() : Instant.ofEpochMilli(e.timestamp())));
    }

    /** Marks a timeline closed without a terminal event while still within its deadline plus grace. */
    public void markOpen() {
        open = true;
    }

    public Outcome outcome() {
        if (!requested) {
            return Outcome.ORPHAN;
        }
        if (has(EventType.REFUSED)) {
            return Outcome.REFUSED;
        }
        if (has(EventType.CANCELLED)) {
            return Outcome.CANCELLED;
        }
        if (has(EventType.ABANDONED)) {
            return Outcome.ABANDONED;
        }
        if (has(EventType.EXPIRED)) {
            return Outcome.EXPIRED;
        }
        if (terminal == null) {
            return open ? Outcome.OPEN : Outcome.UNTERMINATED;
        }
        Integer error = deliveredError();
        if (error != null) {
            return switch (error) {
                case SamplingErrors.USER_REJECTED -> Outcome.DENIED;
                case SamplingErrors.SAMPLING_FAILED -> Outcome.FAILED;
                case SamplingErrors.RESPONSE_REJECTED -> Outcome.REJECTED;
                case SamplingErrors.SAMPLING_EXPIRED -> Outcome.EXPIRED;
                default -> Outcome.ERROR;
            };
        }
        boolean edited = events.stream().anyMatch(e -> "REVIEWER".equals(e.actorKind())
                && ("AMENDED".equals(e.decision()) || "RESPONSE EDIT".equals(e.decision())));
        if (edited) {
            return Outcome.EDITED;
        }
        return events.stream().anyMatch(e -> "AMENDED".equals(e.decision())) ? Outcome.AMENDED : Outcome.APPROVED;
    }

    /** The JSON-RPC error the server got: the delivery's code, else the resolution's; null for a result. */
    private Integer deliveredError() {
        for (AuditEvent event : events) {
            if (event.type() == EventType.DELIVERED) {
                return event.errorCode();
            }
        }
        for (AuditEvent event : events) {
            if (event.type() == EventType.RESOLVED && event.errorCode() != null) {
                return event.errorCode();
            }
        }
        return null;
    }

    public boolean has(EventType type) {
        for (AuditEvent event : events) {
            if (event.type() == type) {
                return true;
            }
        }
        return false;
    }

    /** The models that answered (completions), else the model a decision forced. */
    public Set<String> models() {
        Set<String> models = new LinkedHashSet<>();
        for (AuditEvent event : events) {
            if (event.type() == EventType.COMPLETED && event.model() != null) {
                models.add(event.model());
            }
        }
        return models;
    }

    /** Everyone who decided by hand: reviewers of decisions, verdicts and review commands. */
    public Set<String> reviewers() {
        Set<String> reviewers = new LinkedHashSet<>();
        for (AuditEvent event : events) {
            if ("REVIEWER".equals(event.actorKind()) && event.actor() != null) {
                reviewers.add(event.actor());
            }
        }
        return reviewers;
    }

    public long inputTokens() {
        return events.stream().filter(e -> e.inputTokens() != null).mapToLong(AuditEvent::inputTokens).sum();
    }

    public long outputTokens() {
        return events.stream().filter(e -> e.outputTokens() != null).mapToLong(AuditEvent::outputTokens).sum();
    }

    /** Milliseconds from request to the first delivery, or -1 when nothing was delivered. */
    public long deliveryLatencyMillis() {
        if (requestedAt == null) {
            return -1;
        }
        for (AuditEvent event : events) {
            if (event.type() == EventType.DELIVERED && event.occurredAt() != null) {
                return Math.max(0, event.occurredAt().toEpochMilli() - requestedAt.toEpochMilli());
            }
        }
        return -1;
    }

    /**
     * The request event (its prompt size: messages, characters, maxTokens), or the broker's record of refusing it;
     * null if neither was seen.
     */
    public AuditEvent requestEvent() {
        for (AuditEvent event : events) {
            if (event.type() == EventType.REQUESTED || event.type() == EventType.REFUSED) {
                return event;
            }
        }
        return null;
    }

    public String requestId() {
        return requestId;
    }

    public String traceId() {
        return traceId;
    }

    public String host() {
        return host;
    }

    /** The host's tenant, from its credential; null when hosts were not authenticated (or the context is unknown). */
    public String tenant() {
        return tenant;
    }

    public String server() {
        return server;
    }

    public String session() {
        return session;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    public Instant deadline() {
        return deadline;
    }

    /** Whether its request event was read: its SamplingRequested, or the broker's SamplingRefused. */
    public boolean requested() {
        return requested;
    }

    /** The first terminal lifecycle event, or null. */
    public AuditEvent terminal() {
        return terminal;
    }

    public List<AuditEvent> events() {
        return events;
    }
}
