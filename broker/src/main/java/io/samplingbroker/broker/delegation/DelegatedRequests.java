package io.samplingbroker.broker.delegation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The delegated requests this instance holds, by id and by {@code Idempotency-Key}: pending ones until their outcome,
 * concluded ones for {@link DelegationSettings#retention()} (so a host can fetch the outcome, or retry its POST, a
 * while later), at most {@link DelegationSettings#maxKept()} concluded ones in all (the first concluded go first).
 * Keys are scoped by host: two hosts may use the same key. A request refused on arrival keeps no key, so a retry
 * after {@code Retry-After} is a new request. Thread-safe.
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
    private final Consumer<DelegatedRequest> forgotten;
    private final Map<String, DelegatedRequest> byId = new HashMap<>();
    private final Map<String, DelegatedRequest> byKey = new HashMap<>();
    /** The concluded ones still held, in the order they concluded: pruning takes from the head. */
    private final ArrayDeque<DelegatedRequest> concluded = new ArrayDeque<>();

    /** @param forgotten told of each concluded request dropped (its host may never have fetched the outcome) */
    DelegatedRequests(Clock clock, DelegationSettings settings, Consumer<DelegatedRequest> forgotten) {
        this.clock = clock;
        this.settings = settings;
        this.forgotten = forgotten;
    }

    /**
     * Admits a POST. With an {@code idempotencyKey} the host used already: the request that key made (or, for another
     * body, the refusal); otherwise {@code submit} creates the request. A keyed request is submitted under the lock,
     * so that two retries at once make one request; one without a key, outside it. {@code submit} must not block.
     */
    Admission admit(String owner, String idempotencyKey, String bodyDigest, Supplier<DelegatedRequest> submit) {
        if (idempotencyKey == null) {
            DelegatedRequest request = submit.get();
            synchronized (this) {
                hold(request, null);
            }
            return new Admitted(request);
        }
        synchronized (this) {
            prune();
            DelegatedRequest earlier = byKey.get(scoped(owner, idempotencyKey));
            if (earlier != null) {
                return earlier.bodyDigest.equals(bodyDigest) ? new Retried(earlier) : new KeyReused(earlier);
            }
            DelegatedRequest request = submit.get();
            hold(request, request.refusedAtOnce ? null : scoped(owner, idempotencyKey));
            return new Admitted(request);
        }
    }

    private void hold(DelegatedRequest request, String key) {
        byId.put(request.requestId, request);
        if (key != null) {
            byKey.put(key, request);
        }
        request.outcome.whenComplete((outcome, failure) -> concluded(request));
    }

    private synchronized void concluded(DelegatedRequest request) {
        request.concluded(clock.instant());
        if (byId.get(request.requestId) == request) {
            concluded.add(request);
        }
    }

    /** The request {@code id} of {@code owner}; null when unknown here, gone, or another host's. */
    synchronized DelegatedRequest find(String owner, String id) {
        prune();
        DelegatedRequest request = byId.get(id);
        return request == null || !request.owner.equals(owner) ? null : request;
    }

    /** Drops the concluded requests past their retention, and the first concluded ones over the limit. */
    void prune() {
        List<DelegatedRequest> dropped = new ArrayList<>();
        synchronized (this) {
            Instant forgetBefore = clock.instant().minus(settings.retention());
            while (!concluded.isEmpty() && (concluded.size() > settings.maxKept()
                    || concluded.peekFirst().concludedAt().isBefore(forgetBefore))) {
                dropped.add(drop(concluded.pollFirst()));
            }
        }
        dropped.forEach(forgotten);
    }

    /** Drops every concluded request (the instance stops); pending ones end with the dispatcher. */
    void forgetAll() {
        List<DelegatedRequest> dropped = new ArrayList<>();
        synchronized (this) {
            while (!concluded.isEmpty()) {
                dropped.add(drop(concluded.pollFirst()));
            }
        }
        dropped.forEach(forgotten);
    }

    private DelegatedRequest drop(DelegatedRequest request) {
        byId.remove(request.requestId);
        if (request.idempotencyKey != null) {
            byKey.remove(scoped(request.owner, request.idempotencyKey), request);
        }
        return request;
    }

    private static String scoped(String owner, String key) {
        return owner + '\n' + key;
    }

    /** How long a concluded request is kept for its host to fetch. */
    Duration retention() {
        return settings.retention();
    }
}
