package io.samplingbroker.reviewconsole;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.samplingbroker.events.RefusedCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.reviewconsole.ReviewQueue.ReviewChange;

/**
 * Waits for the approval-worker's answer to a command: the first item on the reviews topic that names the command,
 * as the decision (applied) or among the refusals. Register before sending, so that a fast answer is not missed.
 */
final class DecisionOutcomes implements AutoCloseable {

    private record Waiter(String requestId, CompletableFuture<ReviewItem> outcome) {
    }

    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;

    DecisionOutcomes(ReviewQueue queue) {
        this.subscription = queue.subscribe(this::onChange);
    }

    /**
     * The item naming {@code commandId}; fails with a {@link java.util.concurrent.TimeoutException} after
     * {@code timeout}.
     */
    CompletableFuture<ReviewItem> await(String requestId, String commandId, Duration timeout) {
        CompletableFuture<ReviewItem> outcome = new CompletableFuture<>();
        waiters.put(commandId, new Waiter(requestId, outcome));
        outcome.whenComplete((item, error) -> waiters.remove(commandId));
        return outcome.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The command could not be sent: stop waiting for it. */
    void forget(String commandId) {
        Waiter waiter = waiters.remove(commandId);
        if (waiter != null) {
            waiter.outcome.cancel(false);
        }
    }

    int waiting() {
        return waiters.size();
    }

    private void onChange(ReviewChange change) {
        if (change.item() == null || waiters.isEmpty()) {
            return;
        }
        waiters.forEach((commandId, waiter) -> {
            if (waiter.requestId.equals(change.requestId()) && names(change.item(), commandId)) {
                waiter.outcome.complete(change.item());
            }
        });
    }

    static boolean names(ReviewItem item, String commandId) {
        return decidedBy(item, commandId) || refusalOf(item, commandId) != null;
    }

    static boolean decidedBy(ReviewItem item, String commandId) {
        return item.getDecision() != null && commandId.equals(item.getDecision().getCommandId());
    }

    static RefusedCommand refusalOf(ReviewItem item, String commandId) {
        for (RefusedCommand refused : item.getRefused()) {
            if (commandId.equals(refused.getCommandId())) {
                return refused;
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop listening to the review queue", e);
        } finally {
            waiters.values().forEach(waiter -> waiter.outcome.cancel(false));
        }
    }
}
