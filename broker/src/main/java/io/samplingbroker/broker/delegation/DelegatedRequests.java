package io.samplingbroker.broker.delegation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The delegated requests this instance holds, by id and by {@code Idempotency-Key}: pending ones until their outcome,
 * concluded ones for {@link DelegationSettings#retention()} (so a host can fetch the outcome, or retry its POST, a
 * while later), at most {@link DelegationSettings#maxKept()} concluded ones in all (the oldest go first). Keys are
 * scoped by host: two hosts may use the same key. Thread-safe.
 */
final class DelegatedRequests {

    /** What a POST becomes. */
    sealed interface Admission {
    }

    /** A new request, submitted. */
    record Admitted(DelegatedRequest request) implements Admission {
    }

    /** A retry: the request its {@code Idempotency-Key} made before. */
    record Retried(DelegatedRequest request) implements Admission {
    }

    /** The key made another request, from another body. */
    record KeyReused(DelegatedRequest earlier) implements Admission {
    }

    private final Clock clock;
    private final DelegationSettings settings;
    /** In creation order, so that the oldest concluded ones are found first. */
    private final Map<String, DelegatedRequest> byId = new LinkedHashMap<>();
    private final Map<String, DelegatedRequest> byKey = new LinkedHashMap<>();

    DelegatedRequests(Clock clock, DelegationSettings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Admits a POST: with an {@code idempotencyKey} the host used already, the request that key made (or, for
     * another body, the refusal); otherwise {@code submit} creates the request (under the lock, so that two retries at
     * once make one request; it must not block).
     */
    synchronized Admission admit(String owner, String idempotencyKey, String bodyDigest,
            Supplier<DelegatedRequest> submit) {
        prune();
        if (idempotencyKey != null) {
            DelegatedRequest earlier = byKey.get(scoped(owner, idempotencyKey));
            if (earlier != null) {
                return earlier.bodyDigest.equals(bodyDigest) ? new Retried(earlier) : new KeyReused(earlier);
            }
        }
        DelegatedRequest request = submit.get();
        byId.put(request.requestId, request);
        if (idempotencyKey != null) {
            byKey.put(scoped(owner, idempotencyKey), request);
        }
        request.outcome.whenComplete((outcome, failure) -> request.concluded(clock.instant()));
        return new Admitted(request);
    }

    /** The request {@code id} of {@code owner}; null when unknown here, gone, or another host's. */
    synchronized DelegatedRequest find(String owner, String id) {
        prune();
        DelegatedRequest request = byId.get(id);
        return request == null || !request.owner.equals(owner) ? null : request;
    }

    /** Drops the concluded requests past their retention, and the oldest concluded ones over the limit. */
    synchronized void prune() {
        Instant forgetBefore = clock.instant().minus(settings.retention());
        int concluded = 0;
        for (DelegatedRequest request : byId.values()) {
            concluded += request.concludedAt() == null ? 0 : 1;
        }
        for (Iterator<DelegatedRequest> it = byId.values().iterator(); it.hasNext();) {
            DelegatedRequest request = it.next();
            Instant at = request.concludedAt();
            if (at != null && (at.isBefore(forgetBefore) || concluded > settings.maxKept())) {
                it.remove();
                concluded--;
                if (request.idempotencyKey != null) {
                    byKey.remove(scoped(request.owner, request.idempotencyKey));
                }
            }
        }
    }

    private static String scoped(String owner, String key) {
        return owner + '\n' + key;
    }

    /** How long a concluded request is kept for its host to fetch. */
    Duration retention() {
        return settings.retention();
    }
}
