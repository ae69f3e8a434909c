package io.samplingbroker.approval.console;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.samplingbroker.events.ReviewItem;

/** A review queue in memory: what the reviews topic would hold, changed by the test. */
final class InMemoryReviewQueue implements ReviewQueue {

    private final Map<String, ReviewItem> items = new ConcurrentHashMap<>();
    private final ReviewListeners listeners = new ReviewListeners();

    void put(ReviewItem item) {
        items.put(item.getContext().getRequestId(), item);
        listeners.fire(new ReviewChange(item.getContext().getRequestId(), item));
    }

    @Override
    public ReviewItem get(String requestId) {
        return items.get(requestId);
    }

    @Override
    public Collection<ReviewItem> items() {
        return List.copyOf(items.values());
    }

    @Override
    public AutoCloseable subscribe(Consumer<ReviewChange> listener) {
        return listeners.add(listener);
    }
}
