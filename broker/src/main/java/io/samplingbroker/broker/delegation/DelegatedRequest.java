package io.samplingbroker.broker.delegation;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.json.JsonObject;

/**
 * One sampling request a host delegated through the API, as this instance holds it: who owns it, where its outcome
 * stands, and whether the host has been given that outcome (which is when it counts as delivered).
 */
final class DelegatedRequest {

    /** Where a request stands, as the API names it. */
    enum Status {
        PENDING, COMPLETED, FAILED, CANCELLED,
        /** Nobody is left to answer it: the broker instance stopped. */
        ABANDONED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final String requestId;
    /** The host key ({@code HostIdentity.key()}): only its host may read or cancel it. */
    final String owner;
    final String server;
    final String sessionId;
    final String jsonRpcIdJson;
    final Instant createdAt;
    final Instant deadline;
    /** The {@code Idempotency-Key} it was created under, or null. */
    final String idempotencyKey;
    /**
     * A digest of the body it was created from, to tell a retry from another request under the same key; null without
     * a key.
     */
    final String bodyDigest;
    final CompletableFuture<SamplingOutcome> outcome;
    /** Its outcome was there when it was submitted: the dispatcher refused it before the pipeline. */
    final boolean refusedAtOnce;
    private final AtomicBoolean handedOver = new AtomicBoolean();
    /** Answers waiting for the outcome; each leaves when its wait ends, so a host that polls piles none up. */
    private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelRequested;
    private volatile Instant concludedAt;

    DelegatedRequest(String requestId, String owner, String server, String sessionId, String jsonRpcIdJson,
            Instant createdAt, Instant deadline, String idempotencyKey, String bodyDigest,
            CompletableFuture<SamplingOutcome> outcome) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.server = server;
        this.sessionId = sessionId;
        this.jsonRpcIdJson = jsonRpcIdJson;
        this.createdAt = createdAt;
        this.deadline = deadline;
        this.idempotencyKey = idempotencyKey;
        this.bodyDigest = bodyDigest;
        this.outcome = outcome;
        this.refusedAtOnce = outcome.isDone();
        outcome.whenComplete((done, failure) -> waiters.forEach(this::wake));
    }

    /**
     * Runs {@code waiter} once, when the outcome comes (at once if it is there); the returned handle takes it off when
     * its wait ends first.
     */
    Runnable onConcluded(Runnable waiter) {
        waiters.add(waiter);
        if (outcome.isDone()) {
            wake(waiter);
        }
        return () -> waiters.remove(waiter);
    }

    private void wake(Runnable waiter) {
        if (waiters.remove(waiter)) {
            waiter.run();
        }
    }

    /** The host asked to cancel it: an outcome without a reply is then its cancellation, not an abandonment. */
    void cancelRequested() {
        cancelRequested = true;
    }

    void concluded(Instant at) {
        concludedAt = at;
    }

    /** When its outcome came, or null while it is pending. */
    Instant concludedAt() {
        return concludedAt;
    }

    Status status() {
        SamplingOutcome done = outcome.getNow(null);
        if (done == null) {
            return Status.PENDING;
        }
        if (done instanceof SamplingOutcome.Reply reply) {
            return reply.errorCode() == null ? Status.COMPLETED : Status.FAILED;
        }
        if (done instanceof SamplingOutcome.NoReply) {
            return cancelRequested ? Status.CANCELLED : Status.ABANDONED;
        }
        return Status.FAILED;
    }

    /**
     * The reply to record as delivered the first time the host is given the outcome; null if there is none, or it
     * was given already.
     */
    SamplingOutcome.Reply takeReplyToDeliver() {
        if (outcome.getNow(null) instanceof SamplingOutcome.Reply reply && handedOver.compareAndSet(false, true)) {
            return reply;
        }
        return null;
    }

    /** Its reply could not be written to the host: a later answer gives it again. */
    void notHandedOver() {
        handedOver.set(false);
    }

    /** The {@code SamplingRequest} resource of the OpenAPI document. */
    JsonObject describe() {
        JsonObject described = new JsonObject().put("id", requestId).put("status", status().wireName())
                .put("server", server).put("createdAt", createdAt.toString()).put("deadline", deadline.toString());
        SamplingOutcome done = outcome.getNow(null);
        if (done instanceof SamplingOutcome.Reply reply) {
            JsonObject message = reply.message().json();
            if (message.getValue("error") instanceof JsonObject error) {
                described.put("error", error);
            } else {
                described.put("result", message.getValue("result"));
            }
        } else if (done instanceof SamplingOutcome.NoReply none) {
            described.put("statusMessage", none.reason());
        } else if (done instanceof SamplingOutcome.Forward) {
            // a policy cannot forward a delegated request: its host declared no sampling the broker could send to
            described.put("error", new JsonObject().put("code", SamplingErrors.INTERNAL_ERROR).put("message",
                    "The policy forwarded a delegated request to its host, which cannot be asked"));
        }
        return described;
    }
}
