package io.samplingbroker.reviewconsole;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.reviewconsole.ReviewQueue.ReviewChange;

/** The listeners of a {@link ReviewQueue}: one failing listener must not stop the others or the queue. */
final class ReviewListeners {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewListeners.class);

    private final List<Consumer<ReviewChange>> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable add(Consumer<ReviewChange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void fire(ReviewChange change) {
        for (Consumer<ReviewChange> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("A review listener failed on request {}", change.requestId(), e);
            }
        }
    }
}
