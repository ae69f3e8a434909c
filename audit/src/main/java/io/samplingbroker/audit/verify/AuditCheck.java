package io.samplingbroker.audit.verify;

import io.samplingbroker.audit.replay.PartitionRange;
import io.samplingbroker.audit.replay.RawRecord;
import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.Timeline;

/**
 * One rule that an honest history obeys; {@code verify} runs a list of them over one replay. Every hook has a
 * no-op default, so a check implements only what it looks at:
 *
 * <ul>
 *   <li>{@link #onPartition}: each topic-partition before it is read (offsets: first kept, start, end);</li>
 *   <li>{@link #onRecord}: every record as read, raw bytes and headers included, in partition order, before it is
 *       decoded (a tamper-evidence check chains hashes here);</li>
 *   <li>{@link #onTimeline}: each request's timeline once it can change no more (filters applied);</li>
 *   <li>{@link #onLateEvent}: an event for a request whose timeline was already closed;</li>
 *   <li>{@link #onEnd}: once, after the last record.</li>
 * </ul>
 *
 * Checks are called from the one replay thread, so they need no synchronisation. Add one to
 * {@link AuditChecks#standard()}, or ship it in a jar with a {@code META-INF/services} entry for this interface.
 */
public interface AuditCheck {

    /** A short name, printed before each finding. */
    String name();

    default void onPartition(PartitionRange range, AuditScope scope, Findings findings) {
    }

    default void onRecord(RawRecord record, Findings findings) {
    }

    default void onTimeline(Timeline timeline, AuditScope scope, Findings findings) {
    }

    default void onLateEvent(String requestId, AuditEvent event, Findings findings) {
    }

    default void onEnd(Findings findings) {
    }
}
