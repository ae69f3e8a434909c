package io.samplingbroker.reviewconsole;

import io.samplingbroker.events.ReviewItem;

/** A review queue in memory: what the reviews topic would hold, changed by the test. */
final class InMemoryReviewQueue extends ReviewItemMap {

    void put(ReviewItem item) {
        apply(item.getContext().getRequestId(), item);
    }
}
