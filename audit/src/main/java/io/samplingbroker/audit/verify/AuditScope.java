package io.samplingbroker.audit.verify;

import java.time.Duration;
import java.time.Instant;

/**
 * What the replay covered, for checks that must tell "wrong" from "outside the range" or "not finished yet".
 *
 * @param from start of the range (requests asked from then), or null for the beginning of the topics
 * @param to end of the range (exclusive), or null for the end offsets at start
 * @param now when the replay started: a request without a terminal event is open while {@code now} is before its
 *     deadline plus {@code grace}
 * @param grace how long after its deadline a request may still lack its terminal event
 */
public record AuditScope(Instant from, Instant to, Instant now, Duration grace) {

    /** Whether a request asked at {@code requestedAt} lies before the replayed range. */
    public boolean beforeRange(Instant requestedAt) {
        return from != null && requestedAt != null && requestedAt.isBefore(from);
    }

    /** Whether a request with this deadline may still be waiting for its terminal event. */
    public boolean stillOpen(Instant deadline) {
        return deadline != null && now.isBefore(deadline.plus(grace));
    }
}
