package io.samplingbroker.audit.timeline;

/** The kinds of event a request's timeline is made of, one per event record the sampling topics carry. */
public enum EventType {
    REQUESTED,
    /** The broker refused the request before the pipeline; recorded in place of its request event. */
    REFUSED,
    DECIDED,
    REVIEW_COMMAND,
    COMPLETED,
    FAILED,
    RESOLVED,
    DELIVERED,
    CANCELLED,
    EXPIRED,
    ABANDONED;

    /** The lifecycle events after which nothing more is done for a request. */
    public boolean isTerminal() {
        return this == DELIVERED || this == CANCELLED || this == EXPIRED || this == ABANDONED;
    }

    /** Lower-case name as printed ({@code review-command}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
