package io.samplingbroker.approvalworker.review;

import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingResolved;

/**
 * What one input does to a review: the item's new state and the events to write. Every field may be empty; an empty
 * step changes nothing (an input seen again after a crash, or one that does not concern review).
 *
 * @param item the new state to store, or null to leave the store as it is
 * @param delete remove the item from the store (and tombstone it on the reviews topic)
 * @param visible publish {@code item} on the reviews topic (items that only wait for a completion are not shown)
 * @param decided a reviewer's decision on a held request, for the decisions topic
 * @param resolved the server's answer, for the results topic (a denial, or a reviewed response)
 * @param expired a pending review whose deadline passed without any word from the broker, for the lifecycle topic
 * @param refusal why a reviewer's command was refused, for the log (the item lists it too)
 */
public record ReviewStep(ReviewItem item, boolean delete, boolean visible, SamplingDecided decided,
        SamplingResolved resolved, SamplingExpired expired, String refusal) {

    static final ReviewStep NOTHING = new ReviewStep(null, false, false, null, null, null, null);

    static ReviewStep shown(ReviewItem item) {
        return new ReviewStep(item, false, true, null, null, null, null);
    }

    static ReviewStep kept(ReviewItem item) {
        return new ReviewStep(item, false, false, null, null, null, null);
    }

    static ReviewStep removed() {
        return new ReviewStep(null, true, true, null, null, null, null);
    }

    static ReviewStep refused(ReviewItem item, String why) {
        return new ReviewStep(item, false, true, null, null, null, why);
    }

    static ReviewStep decided(ReviewItem item, SamplingDecided decided, SamplingResolved resolved) {
        return new ReviewStep(item, false, true, decided, resolved, null, null);
    }

    static ReviewStep expiredHere(ReviewItem item, SamplingExpired expired) {
        return new ReviewStep(item, false, true, null, null, expired, null);
    }

    public boolean changesNothing() {
        return item == null && !delete;
    }
}
