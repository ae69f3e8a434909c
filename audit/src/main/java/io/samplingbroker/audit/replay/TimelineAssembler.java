package io.samplingbroker.audit.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.EventType;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.audit.verify.AuditCheck;
import io.samplingbroker.audit.verify.Findings;
import io.samplingbroker.events.SamplingContext;

/**
 * Rebuilds timelines from the merged events of one partition number, holding only requests that can still change.
 *
 * <p>A timeline closes (is checked and emitted, then forgotten) when the replay's clock, the highest record timestamp
 * seen, passes: its terminal event plus {@code settle}; else, for a request, its deadline plus grace; else (events
 * without their request) its first event plus {@code settle}. So memory holds the requests in flight over a few
 * minutes of history, not the whole history. Closed ids are remembered for {@code lateWindow} to name late events.
 */
public final class TimelineAssembler {

    private final int partition;
    private final ReplayOptions options;
    private final List<AuditCheck> checks;
    private final Findings findings;
    private final ReplayStats stats;
    private final Consumer<Timeline> sink;
    private final Map<String, Open> open = new HashMap<>();
    private final PriorityQueue<Scheduled> closing = new PriorityQueue<>(Comparator.comparingLong(Scheduled::at));
    private final LinkedHashMap<String, Long> recentlyClosed = new LinkedHashMap<>();
    private long clock = Long.MIN_VALUE;

    /** An open timeline and when it closes. */
    private static final class Open {
        final Timeline timeline;
        long closeAt = Long.MIN_VALUE;

        Open(Timeline timeline) {
            this.timeline = timeline;
        }
    }

    /** A closing time in the queue; stale when its timeline's {@code closeAt} moved since (or it closed). */
    private record Scheduled(long at, Open entry) {
    }

    public TimelineAssembler(int partition, ReplayOptions options, List<AuditCheck> checks, Findings findings,
            ReplayStats stats, Consumer<Timeline> sink) {
        this.partition = partition;
        this.options = options;
        this.checks = checks;
        this.findings = findings;
        this.stats = stats;
        this.sink = sink;
    }

    /** Adds one event of {@code requestId}; {@code context} is null for records without one (review commands). */
    public void accept(String requestId, AuditEvent event, SamplingContext context) {
        if (context != null && options.scope().to() != null && !context.getRequestedAt().isBefore(options.scope().to())) {
            stats.afterRange++;
            return;
        }
        advance(event.timestamp());
        Open entry = open.get(requestId);
        if (entry == null) {
            if (recentlyClosed.containsKey(requestId)) {
                stats.lateEvents++;
                for (AuditCheck check : checks) {
                    check.onLateEvent(requestId, event, findings);
                }
                return;
            }
            entry = new Open(new Timeline(requestId, partition));
            open.put(requestId, entry);
        }
        entry.timeline.add(event, context);
        schedule(entry);
    }

    /** Closes every timeline whose closing time the clock passed. */
    public void advance(long timestamp) {
        clock = Math.max(clock, timestamp);
        while (!closing.isEmpty() && closing.peek().at() < clock) {
            Scheduled head = closing.poll();
            Open entry = head.entry();
            if (head.at() == entry.closeAt && open.get(entry.timeline.requestId()) == entry) {
                close(entry);
            }
        }
        long forgetBefore = clock - options.lateWindow().toMillis();
        for (Iterator<Long> it = recentlyClosed.values().iterator(); it.hasNext();) {
            if (it.next() >= forgetBefore) {
                break;
            }
            it.remove();
        }
    }

    /** The end of the partition: closes everything still open, oldest first. */
    public void finish() {
        List<Open> remaining = new ArrayList<>(open.values());
        remaining.sort(Comparator.comparingLong(o -> o.timeline.events().get(0).timestamp()));
        remaining.forEach(this::close);
        closing.clear();
        recentlyClosed.clear();
    }

    private void schedule(Open entry) {
        long closeAt = closeAt(entry.timeline);
        if (closeAt != entry.closeAt) {
            entry.closeAt = closeAt; // the old queue entry, if any, is now stale and skipped when polled
            closing.add(new Scheduled(closeAt, entry));
        }
    }

    private long closeAt(Timeline timeline) {
        long settle = options.settle().toMillis();
        AuditEvent terminal = timeline.terminal();
        if (terminal != null) {
            return terminal.timestamp() + settle;
        }
        long first = timeline.events().get(0).timestamp() + settle;
        if (timeline.requested() && timeline.deadline() != null) {
            return Math.max(first, timeline.deadline().toEpochMilli() + options.scope().grace().toMillis());
        }
        return first;
    }

    private void close(Open entry) {
        Timeline timeline = entry.timeline;
        open.remove(timeline.requestId());
        recentlyClosed.put(timeline.requestId(), clock);
        if (!timeline.requested() && timeline.events().stream().allMatch(e -> e.type() == EventType.REVIEW_COMMAND)
                && options.scope().from() != null) {
            stats.carriedOver++; // a reviewer's command carries no context: with --from, assume an earlier request
            return;
        }
        if (!timeline.requested() && options.scope().beforeRange(timeline.requestedAt())) {
            stats.carriedOver++;
            return;
        }
        timeline.sortByOccurrence();
        if (timeline.requested() && timeline.terminal() == null && options.scope().stillOpen(timeline.deadline())) {
            timeline.markOpen();
        }
        if (!options.filter().matches(timeline)) {
            stats.filteredOut++;
            return;
        }
        for (AuditCheck check : checks) {
            check.onTimeline(timeline, options.scope(), findings);
        }
        stats.timelines++;
        if (timeline.terminal() == null && timeline.requested() && options.scope().stillOpen(timeline.deadline())) {
            stats.open++;
        }
        sink.accept(timeline);
    }
}
