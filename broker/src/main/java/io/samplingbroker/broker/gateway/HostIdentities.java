package io.samplingbroker.broker.gateway;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.broker.auth.HostPrincipal;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Who sent a request to the gateway, in both eras: the one answer that sessions, events and limits all use. */
public final class HostIdentities {

    static final String UNKNOWN = "unknown-host";

    private HostIdentities() {
    }

    /**
     * The token's subject when hosts authenticate, with the name the host gives itself as a label; else that name. The
     * name is {@code X-Sampling-Host-Id}, else the {@code clientInfo.name} of an {@code initialize} or of the
     * 2026-07-28 envelope, else {@value #UNKNOWN}.
     */
    static HostIdentity of(RoutingContext ctx, JsonRpcMessage message) {
        String givenName = givenName(ctx, message);
        HostPrincipal principal = HostAuthentication.principalOf(ctx);
        if (principal != null) {
            return HostIdentity.authenticated(principal.subject(), principal.tenant(), givenName);
        }
        return HostIdentity.selfNamed(givenName == null ? UNKNOWN : givenName);
    }

    /** The same, for a request that is no MCP message: the name is {@code X-Sampling-Host-Id} alone. */
    public static HostIdentity of(RoutingContext ctx) {
        return of(ctx, null);
    }

    private static String givenName(RoutingContext ctx, JsonRpcMessage message) {
        String header = ctx.request().getHeader(McpHeaders.HOST_ID);
        if (header != null && !header.isBlank()) {
            return header;
        }
        JsonObject params = message == null ? null : message.params();
        JsonObject clientInfo = JsonMembers.object(params, "clientInfo");
        if (clientInfo == null) {
            Envelope envelope = Envelope.of(params);
            clientInfo = envelope == null ? null : envelope.clientInfo();
        }
        String name = JsonMembers.string(clientInfo, "name");
        return name == null || name.isBlank() ? null : name;
    }
}
