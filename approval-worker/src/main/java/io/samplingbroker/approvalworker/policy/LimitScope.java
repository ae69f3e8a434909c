package io.samplingbroker.approvalworker.policy;

import java.util.Locale;

import io.samplingbroker.events.SamplingContext;

/**
 * What a rate limit or token budget is counted per ({@code per: tenant}, {@code per: host} or {@code per: server} in
 * the file). Every count is within the request's tenant: a host or a server of one tenant never spends what another
 * tenant's traffic is allowed, even under the same name. Without a tenant (hosts not authenticated) a host or server
 * is counted by its name alone, and all such requests share one tenant count.
 */
public enum LimitScope {
    /** The host's tenant, as its credential says. */
    TENANT,
    /** The agent host (MCP client) the request is made for. */
    HOST,
    /** The upstream MCP server that asked. */
    SERVER;

    /** Separates the tenant from the name in a count's key: no tenant claim or host id contains it. */
    private static final char SEPARATOR = '\u001f';

    /** The key of the count this request falls in. */
    public String valueOf(SamplingContext context) {
        String tenant = context.getTenant();
        return switch (this) {
            case TENANT -> tenant == null ? "" : tenant;
            case HOST -> within(tenant, context.getHostId());
            case SERVER -> within(tenant, context.getServerName());
        };
    }

    private static String within(String tenant, String name) {
        return tenant == null ? name : tenant + SEPARATOR + name;
    }

    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
