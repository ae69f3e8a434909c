package io.samplingbroker.approvalworker.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;

import io.samplingbroker.approvalworker.decision.UsageBucket;
import io.samplingbroker.approvalworker.decision.UsageCharge;
import io.samplingbroker.approvalworker.decision.UsageLedger;

/**
 * The limit counters in state stores (changelogged, so they survive a crash and move with their partition), plus
 * what each request was charged: its reservation in token budgets until its completion settles it. The second store makes charging idempotent: at least once means a request can be
 * decided again after a crash, and it must then neither count twice nor see its own earlier charge as someone
 * else's (which could turn its approval into a denial).
 */
final class StoreLedger {

    private final WindowStore<String, Long> requestCounts;
    private final WindowStore<String, Long> tokenUsage;
    private final WindowStore<String, Long> budgetUsage;
    private final WindowStore<String, byte[]> requestCharges;

    StoreLedger(WindowStore<String, Long> requestCounts, WindowStore<String, Long> tokenUsage,
            WindowStore<String, Long> budgetUsage, WindowStore<String, byte[]> requestCharges) {
        this.requestCounts = requestCounts;
        this.tokenUsage = tokenUsage;
        this.budgetUsage = budgetUsage;
        this.requestCharges = requestCharges;
    }

    /** The ledger over a task's counter stores. */
    static StoreLedger of(ProcessorContext<?, ?> context) {
        return new StoreLedger(context.getStateStore(ApprovalStores.REQUEST_COUNTS),
                context.getStateStore(ApprovalStores.TOKEN_USAGE), context.getStateStore(ApprovalStores.BUDGET_USAGE),
                context.getStateStore(ApprovalStores.REQUEST_CHARGES));
    }

    /** The counters as they were before this request was (perhaps) charged once already. */
    UsageLedger viewFor(String requestId, long requestedAt) {
        Map<UsageBucket, Long> own = previousCharges(requestId, requestedAt);
        return bucket -> current(bucket) - own.getOrDefault(bucket, 0L);
    }

    /** Makes the counters hold exactly {@code charges} for this request, replacing what an earlier run charged. */
    void settle(String requestId, long requestedAt, List<UsageCharge> charges) {
        Map<UsageBucket, Long> own = previousCharges(requestId, requestedAt);
        if (own.isEmpty() && charges.isEmpty()) {
            return;
        }
        Map<UsageBucket, Long> delta = new HashMap<>();
        own.forEach((bucket, amount) -> delta.merge(bucket, -amount, Long::sum));
        charges.forEach(charge -> delta.merge(charge.bucket(), charge.amount(), Long::sum));
        delta.forEach((bucket, change) -> {
            if (change != 0) {
                storeOf(bucket).put(bucket.key(), Math.max(0, current(bucket) + change), bucket.windowStart());
            }
        });
        requestCharges.put(requestId, charges.isEmpty() ? null : ChargesCodec.encode(charges), requestedAt);
    }

    /**
     * Replaces what this request has in its budgets (its reservation, or an earlier settlement) with what it used,
     * leaving its rate-limit counts as they are.
     *
     * @param tokens the tokens it used, or null to keep what its token budgets hold
     * @param costMicros what they cost, or null to keep what its cost budgets hold
     * @return false when the request had no budget charge (it was not counted, or it was denied or held)
     */
    boolean settleUsage(String requestId, long requestedAt, Long tokens, Long costMicros) {
        byte[] encoded = requestCharges.fetch(requestId, requestedAt);
        if (encoded == null) {
            return false;
        }
        List<UsageCharge> charges = ChargesCodec.decode(encoded);
        if (charges.stream().noneMatch(charge -> charge.bucket().kind().tokens() || charge.bucket().kind().cost())) {
            return false;
        }
        settle(requestId, requestedAt, charges.stream().map(charge -> {
            UsageBucket.Kind kind = charge.bucket().kind();
            Long used = kind.tokens() ? tokens : kind.cost() ? costMicros : null;
            return used == null ? charge : new UsageCharge(charge.bucket(), used);
        }).toList());
        return true;
    }

    private long current(UsageBucket bucket) {
        Long value = storeOf(bucket).fetch(bucket.key(), bucket.windowStart());
        return value == null ? 0 : value;
    }

    private Map<UsageBucket, Long> previousCharges(String requestId, long requestedAt) {
        byte[] encoded = requestCharges.fetch(requestId, requestedAt);
        Map<UsageBucket, Long> charges = new HashMap<>();
        if (encoded != null) {
            ChargesCodec.decode(encoded).forEach(charge -> charges.merge(charge.bucket(), charge.amount(), Long::sum));
        }
        return charges;
    }

    private WindowStore<String, Long> storeOf(UsageBucket bucket) {
        return switch (bucket.kind()) {
            case REQUESTS -> requestCounts;
            case TOKENS -> tokenUsage;
            case TOKENS_PER_MONTH, COST_PER_DAY, COST_PER_MONTH -> budgetUsage;
        };
    }
}
