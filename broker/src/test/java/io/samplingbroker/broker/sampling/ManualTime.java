package io.samplingbroker.broker.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.samplingbroker.schemas.testing.MutableClock;

/**
 * A clock that stands still until a test moves it, and the scheduler of the deadlines computed from it: moving the
 * clock past a deadline runs that deadline's task, on the test's thread, so expiry happens exactly when a test says.
 */
final class ManualTime implements DeadlineScheduler {

    private final class Task implements Cancellable {
        final Instant due;
        final Runnable action;

        Task(Instant due, Runnable action) {
            this.due = due;
            this.action = action;
        }

        @Override
        public void cancel() {
            synchronized (ManualTime.this) {
                tasks.remove(this);
            }
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private final MutableClock clock;

    ManualTime(Instant start) {
        this.clock = new MutableClock(start);
    }

    /** The clock the deadlines are computed from. */
    Clock clock() {
        return clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        Task task = new Task(clock.instant().plus(delay), action);
        tasks.add(task);
        return task;
    }

    /** Deadlines scheduled and neither run nor cancelled. */
    synchronized int scheduledCount() {
        return tasks.size();
    }

    /** Moves the clock on, then runs the tasks now due, earliest first. */
    void advance(Duration by) {
        List<Task> due;
        synchronized (this) {
            clock.advance(by);
            Instant now = clock.instant();
            due = tasks.stream().filter(task -> !task.due.isAfter(now)).sorted(Comparator.comparing(task -> task.due))
                    .toList();
            tasks.removeAll(due);
        }
        due.forEach(task -> task.action.run());
    }

    @Override
    public synchronized void close() {
        tasks.clear();
    }
}
