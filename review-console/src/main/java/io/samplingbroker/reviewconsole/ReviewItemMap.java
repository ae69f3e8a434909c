package io.samplingbroker.reviewconsole;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.samplingbroker.events.ReviewItem;

/** The reviews by request id, and who to tell when one changes: what a {@link ReviewQueue} holds in memory. */
class ReviewItemMap implements ReviewQueue {

    private final Map<String, ReviewItem> items = new ConcurrentHashMap<>();
    private final ReviewListeners listeners = new ReviewListeners();

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

    int size() {
        return items.size();
    }

    /** Applies one change (a null item removes the request's): visible to readers first, then announced. */
    void apply(String requestId, ReviewItem item) {
        if (requestId == null) {
            return;
        }
        if (item == null) {
            if (items.remove(requestId) == null) {
                return;
            }
        } else {
            items.put(requestId, item);
        }
        listeners.fire(new ReviewChange(requestId, item));
    }
}
