package io.samplingbroker.reviewconsole;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.schemas.AnsweringModel;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;

/**
 * The overview of the last hour, per UTC minute and tenant: requests (the first automatic decision of each), decisions
 * by outcome, concluded reviews, and model tokens (and, with prices, their cost) by host and by server; a snapshot sums the tenants a reviewer sees.
 * Fed from any thread; minutes older than an
 * hour are dropped as new ones arrive, so memory holds at most 61 minutes, and within a minute at most
 * {@value #MAX_IDS_PER_MINUTE} request ids are remembered to skip duplicates (redelivered events after a crash).
 */
final class OverviewStats {

    static final int MINUTES = 60;
    private static final long MINUTE_MS = Duration.ofMinutes(1).toMillis();
    private static final int MAX_IDS_PER_MINUTE = 50_000;
    private static final int MAX_NAMES = 20;
    private static final ReviewState[] CONCLUDED = {ReviewState.APPROVED, ReviewState.EDITED, ReviewState.DENIED,
        ReviewState.EXPIRED, ReviewState.CANCELLED, ReviewState.ABANDONED, ReviewState.ANSWERED};

    private static final class Minute {
        final Set<String> decided = new HashSet<>();
        final Set<String> completed = new HashSet<>();
        final Set<String> reviewed = new HashSet<>();
        long requests;
        final Map<Decision, Long> decisions = new EnumMap<>(Decision.class);
        final Map<ReviewState, Long> reviews = new EnumMap<>(ReviewState.class);
        final Map<String, Long> tokensByHost = new HashMap<>();
        final Map<String, Long> tokensByServer = new HashMap<>();
        final Map<String, Long> costByHost = new HashMap<>();
        final Map<String, Long> costByServer = new HashMap<>();

        /** First sight of {@code id} in this minute; past the cap, everything counts (duplicates are rare). */
        static boolean firstSight(Set<String> seen, String id) {
            return seen.size() >= MAX_IDS_PER_MINUTE || seen.add(id);
        }
    }

    /** Minute start to tenant (null: none) to what happened. */
    private final TreeMap<Long, Map<String, Minute>> minutes = new TreeMap<>();
    private final Clock clock;
    private final PriceCatalogue prices;

    /** @param prices what spend is priced with ({@link PriceCatalogue#none()}: tokens only) */
    OverviewStats(Clock clock, PriceCatalogue prices) {
        this.clock = clock;
        this.prices = prices;
    }

    /** Counted in the minute the request was made, so that a redelivered decision falls on its first sight. */
    synchronized void decided(SamplingDecided decided) {
        DeciderKind kind = decided.getDecidedBy().getKind();
        if (kind != DeciderKind.RULE && kind != DeciderKind.DEFAULT_ACTION) {
            return; // reviewers' decisions are counted as reviews
        }
        Minute minute = minute(decided.getContext());
        if (minute != null && Minute.firstSight(minute.decided, decided.getContext().getRequestId())) {
            minute.requests++;
            minute.decisions.merge(decided.getDecision(), 1L, Long::sum);
        }
    }

    synchronized void completed(SamplingCompleted completed) {
        Minute minute = minute(completed.getContext());
        if (minute == null || !Minute.firstSight(minute.completed, completed.getContext().getRequestId())) {
            return;
        }
        TokenUsage usage = completed.getUsage();
        long input = orZero(usage.getInputTokens());
        long output = orZero(usage.getOutputTokens());
        minute.tokensByHost.merge(completed.getContext().getHostId(), input + output, Long::sum);
        minute.tokensByServer.merge(completed.getContext().getServerName(), input + output, Long::sum);
        prices.of(AnsweringModel.of(completed)).ifPresent(price -> {
            long cost = price.costMicros(input, orZero(usage.getCachedInputTokens()), output);
            minute.costByHost.merge(completed.getContext().getHostId(), cost, Long::sum);
            minute.costByServer.merge(completed.getContext().getServerName(), cost, Long::sum);
        });
    }

    /** A review concluded by a reviewer, or ended without one; each stage of a request counts once. */
    synchronized void reviewed(ReviewItem item) {
        if (item == null || item.getState() == ReviewState.PENDING
                || (item.getDecision() == null && (item.getState() == ReviewState.APPROVED
                        || item.getState() == ReviewState.EDITED))) {
            return; // pending, or a rule's approval waiting for the completion (not a review outcome)
        }
        Minute minute = minute(item.getHeldAt(), item.getContext().getTenant());
        if (minute != null && Minute.firstSight(minute.reviewed,
                item.getContext().getRequestId() + "/" + item.getStage())) {
            minute.reviews.merge(item.getState(), 1L, Long::sum);
        }
    }

    /** The hour as a reviewer of {@code tenants} sees it. */
    synchronized ObjectNode snapshot(TenantScope tenants) {
        long now = clock.millis();
        long last = now - now % MINUTE_MS;
        long first = last - (MINUTES - 1) * MINUTE_MS;
        minutes.headMap(first).clear();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("since", first);
        json.put("until", now);
        ArrayNode perMinute = json.putArray("requestsPerMinute");
        Map<Decision, Long> decisions = new EnumMap<>(Decision.class);
        Map<ReviewState, Long> reviews = new EnumMap<>(ReviewState.class);
        Map<String, Long> byHost = new HashMap<>();
        Map<String, Long> byServer = new HashMap<>();
        Map<String, Long> costByHost = new HashMap<>();
        Map<String, Long> costByServer = new HashMap<>();
        for (long start = first; start <= last; start += MINUTE_MS) {
            long requests = 0;
            for (Map.Entry<String, Minute> tenant : minutes.getOrDefault(start, Map.of()).entrySet()) {
                if (!tenants.sees(tenant.getKey())) {
                    continue;
                }
                Minute minute = tenant.getValue();
                requests += minute.requests;
                minute.decisions.forEach((k, v) -> decisions.merge(k, v, Long::sum));
                minute.reviews.forEach((k, v) -> reviews.merge(k, v, Long::sum));
                minute.tokensByHost.forEach((k, v) -> byHost.merge(k, v, Long::sum));
                minute.tokensByServer.forEach((k, v) -> byServer.merge(k, v, Long::sum));
                minute.costByHost.forEach((k, v) -> costByHost.merge(k, v, Long::sum));
                minute.costByServer.forEach((k, v) -> costByServer.merge(k, v, Long::sum));
            }
            perMinute.addObject().put("minute", start).put("count", requests);
        }
        ObjectNode byOutcome = json.putObject("decisionsByOutcome");
        for (Decision decision : Decision.values()) {
            byOutcome.put(decision.name(), decisions.getOrDefault(decision, 0L));
        }
        ObjectNode reviewOutcomes = json.putObject("reviewsByOutcome");
        for (ReviewState state : CONCLUDED) {
            reviewOutcomes.put(state.name().toLowerCase(Locale.ROOT), reviews.getOrDefault(state, 0L));
        }
        ranked(json.putArray("tokensByHost"), byHost, costByHost);
        ranked(json.putArray("tokensByServer"), byServer, costByServer);
        ObjectNode spend = json.putObject("spend");
        spend.put("tokens", byHost.values().stream().mapToLong(Long::longValue).sum());
        if (!prices.isEmpty()) {
            spend.put("cost", prices.amount(costByHost.values().stream().mapToLong(Long::longValue).sum()));
            spend.put("currency", prices.currency());
        }
        return json;
    }

    private Minute minute(SamplingContext context) {
        return minute(context.getRequestedAt(), context.getTenant());
    }

    /** The minute of {@code at} for {@code tenant}, created if needed; null when it is older than the hour shown. */
    private Minute minute(Instant at, String tenant) {
        long now = clock.millis();
        long millis = at.toEpochMilli();
        long current = now - now % MINUTE_MS;
        // a clock running ahead elsewhere must not create minutes nobody will show or drop
        long start = Math.min(millis - Math.floorMod(millis, MINUTE_MS), current);
        long first = current - (MINUTES - 1) * MINUTE_MS;
        if (start < first) {
            return null;
        }
        minutes.headMap(first).clear();
        return minutes.computeIfAbsent(start, s -> new HashMap<>()).computeIfAbsent(tenant, t -> new Minute());
    }

    /** The names with the most tokens, each with its cost when there are prices. */
    private void ranked(ArrayNode target, Map<String, Long> tokens, Map<String, Long> cost) {
        tokens.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_NAMES)
                .forEach(entry -> {
                    ObjectNode row = target.addObject().put("name", entry.getKey()).put("tokens", entry.getValue());
                    if (!prices.isEmpty()) {
                        row.put("cost", prices.amount(cost.getOrDefault(entry.getKey(), 0L)));
                    }
                });
    }


    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
