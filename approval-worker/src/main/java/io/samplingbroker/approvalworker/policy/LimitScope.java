package io.samplingbroker.approvalworker.policy;

import java.util.Locale;

import io.samplingbroker.events.SamplingContext;

/** What a rate limit or token budget is counted per ({@code per: host} or {@code per: server} in the file). */
public enum LimitScope {
    /** The agent host (MCP client) the request is made for. */
    HOST,
    /** The upstream MCP server that asked. */
    SERVER;

    public String valueOf(SamplingContext context) {
        return this == HOST ? context.getHostId() : context.getServerName();
    }

    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
