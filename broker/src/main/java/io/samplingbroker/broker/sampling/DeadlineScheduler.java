package io.samplingbroker.broker.sampling;

import java.time.Duration;

/**
 * Runs a task once a delay has passed. Deadlines go through this rather than a scheduler of their own so that tests
 * can fire them at an instant they choose, together with the clock the deadlines were computed from.
 */
interface DeadlineScheduler extends AutoCloseable {

    /** A scheduled task that has not run yet can still be called off. */
    interface Cancellable {
        void cancel();
    }

    Cancellable schedule(Duration delay, Runnable task);

    /** Drops the tasks not yet run. */
    @Override
    void close();
}
