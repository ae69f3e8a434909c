package io.samplingbroker.approvalworker.review;

import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingResolved;

/**
 * What one input does to a review: the item's new state and the events to write. Every field may be empty; an empty
 * step changes nothing (an input seen again after a crash, or one that does not concern review).
 *
 * @param item the new state to store, or null to leave the store as it is
 * @param delete remove the item from the store (and tombstone it on the reviews topic)
 * @param visible publish {@code item} on the reviews topic (items that only wait for a completion are not shown)
 * @param decided a reviewer's decision on a held request, for the decisions topic
 * @param resolved the server's answer, for the results topic (a denial, a reviewed response, or the model's failure
 *     on a request whose response was routed to review)
 * @param refusal why a reviewer's command was refused, for the log (the item lists it too)
 */
public record ReviewStep(ReviewItem item, boolean delete, boolean visible, SamplingDecided decided,
        SamplingResolved resolved, String refusal) {

    static final ReviewStep NOTHING = new ReviewStep(null, false, false, null, null, null);

    static ReviewStep shown(ReviewItem item) {
        return new ReviewStep(item, false, true, null, null, null);
    }

    static ReviewStep kept(ReviewItem item) {
        return new ReviewStep(item, false, false, null, null, null);
    }

    static ReviewStep removed() {
        return new ReviewStep(null, true, true, null, null, null);
    }

    /** The item is done with and removed; the server gets {@code resolved}. */
    static ReviewStep removedAnswering(SamplingResolved resolved) {
        return new ReviewStep(null, true, true, null, resolved, null);
    }

    /** A command for a request with no review. */
    static ReviewStep unknown(String why) {
        return new ReviewStep(null, false, false, null, null, why);
    }

    static ReviewStep refused(ReviewItem item, String why) {
        return new ReviewStep(item, false, true, null, null, why);
    }

    static ReviewStep decided(ReviewItem item, SamplingDecided decided, SamplingResolved resolved) {
        return new ReviewStep(item, false, true, decided, resolved, null);
    }

    public boolean changesNothing() {
        return item == null && !delete;
    }
}
