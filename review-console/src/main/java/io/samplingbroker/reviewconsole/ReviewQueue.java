package io.samplingbroker.reviewconsole;

import java.util.Collection;
import java.util.function.Consumer;

import io.samplingbroker.events.ReviewItem;

/**
 * The console's view of every review, as the approval-worker publishes it. Listeners run on the view's own thread
 * (never an event loop), so they must hand work to Vert.x rather than do it there.
 */
public interface ReviewQueue {

    /** The current item for a request, or null when there is none (never held, or long concluded). */
    ReviewItem get(String requestId);

    /** A snapshot of every item. */
    Collection<ReviewItem> items();

    /** Calls {@code listener} on every later change; the returned handle stops that. */
    AutoCloseable subscribe(Consumer<ReviewChange> listener);

    /** An item appeared or changed ({@code item} set), or was removed ({@code item} null). */
    record ReviewChange(String requestId, ReviewItem item) {
    }
}
