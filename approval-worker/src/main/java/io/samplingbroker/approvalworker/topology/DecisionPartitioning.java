package io.samplingbroker.approvalworker.topology;

import java.util.Set;

import io.samplingbroker.approvalworker.policy.LimitScope;
import io.samplingbroker.approvalworker.policy.Policy;
import io.samplingbroker.events.SamplingContext;

/**
 * How requests are regrouped before they are decided. Requests arrive keyed by request id, spread over every
 * partition; a limit counter must see every request it counts, so requests are re-keyed by what the policy's limits
 * count per ({@link LimitScope#valueOf}: within the tenant). Without limits decisions stay spread by request id;
 * limits per tenant, or per tenant and per host or server, group by tenant (every host and server count is within
 * one tenant); with limits per host and per server both, one key holds every request (limits stay exact, decisions
 * run on one thread: policy evaluation takes microseconds).
 */
enum DecisionPartitioning {
    BY_REQUEST, BY_TENANT, BY_HOST, BY_SERVER, SINGLE;

    static final String SINGLE_KEY = "all";

    static DecisionPartitioning forPolicy(Policy policy) {
        Set<LimitScope> scopes = policy.limitScopes();
        if (scopes.isEmpty()) {
            return BY_REQUEST;
        }
        if (scopes.contains(LimitScope.TENANT)) {
            return BY_TENANT;
        }
        if (scopes.size() > 1) {
            return SINGLE;
        }
        return scopes.contains(LimitScope.HOST) ? BY_HOST : BY_SERVER;
    }

    String keyOf(SamplingContext context) {
        return switch (this) {
            case BY_REQUEST -> context.getRequestId();
            case BY_TENANT -> LimitScope.TENANT.valueOf(context);
            case BY_HOST -> LimitScope.HOST.valueOf(context);
            case BY_SERVER -> LimitScope.SERVER.valueOf(context);
            case SINGLE -> SINGLE_KEY;
        };
    }
}
