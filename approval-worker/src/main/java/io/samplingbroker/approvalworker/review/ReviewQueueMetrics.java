package io.samplingbroker.approvalworker.review;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Gauge;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/**
 * The review queue as gauges (docs/operations.md, "Metrics"): items waiting for a reviewer, those within a minute of
 * their deadline, and the age of the oldest. Each stream task counts its own items on its tick; the gauges add the
 * tasks of this instance up, so the sum over instances is the whole queue.
 */
public final class ReviewQueueMetrics {

    /** Items closer than this to their deadline count as near it: what an alert on a slow review looks at. */
    static final Duration NEAR_DEADLINE = Duration.ofMinutes(1);

    /** One task's queue as a tick leaves it: counted item by item. */
    static final class Count {
        private final Instant now;
        private int pending;
        private int nearDeadline;
        private Instant oldestHeldAt;

        Count(Instant now) {
            this.now = now;
        }

        /** An item as the tick leaves it (null: deleted). */
        void add(ReviewItem item) {
            if (item == null || item.getState() != ReviewState.PENDING) {
                return;
            }
            pending++;
            if (Duration.between(now, item.getContext().getDeadline()).compareTo(NEAR_DEADLINE) < 0) {
                nearDeadline++;
            }
            if (oldestHeldAt == null || item.getHeldAt().isBefore(oldestHeldAt)) {
                oldestHeldAt = item.getHeldAt();
            }
        }
    }

    private final Map<String, Count> tasks = new ConcurrentHashMap<>();
    private final Clock clock;

    public ReviewQueueMetrics(ServiceMetrics metrics, Clock clock) {
        this.clock = clock;
        Gauge.builder("sampling.review.pending", this, queue -> queue.sum(count -> count.pending))
                .description("Review items waiting for a reviewer").register(metrics.registry());
        Gauge.builder("sampling.review.near.deadline", this, queue -> queue.sum(count -> count.nearDeadline))
                .description("Review items waiting with less than a minute before their deadline")
                .register(metrics.registry());
        Gauge.builder("sampling.review.oldest.pending", this, ReviewQueueMetrics::oldestAgeSeconds)
                .description("Age of the oldest review item waiting for a reviewer (0 when none)").baseUnit("seconds")
                .register(metrics.registry());
    }

    void counted(String task, Count queue) {
        tasks.put(task, queue);
    }

    /** The task moved to another instance: its items are counted there. */
    void released(String task) {
        tasks.remove(task);
    }

    private double sum(ToIntFunction<Count> count) {
        return tasks.values().stream().mapToInt(count).sum();
    }

    private double oldestAgeSeconds() {
        return tasks.values().stream().map(count -> count.oldestHeldAt).filter(Objects::nonNull)
                .min(Instant::compareTo).map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis()) / 1000.0)
                .orElse(0.0);
    }
}
