package io.samplingbroker.broker.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.auth.BearerTokens;
import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.broker.auth.HostPrincipal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway as an OAuth 2.1 resource server (MCP authorization): every request to {@code /mcp} carries a bearer
 * token, checked off the event loop ({@link BearerTokens}); the principal is put on the routing context for the
 * handlers. A request without a token, or with one that fails, gets {@code 401} and a {@code WWW-Authenticate}
 * challenge naming the Protected Resource Metadata (RFC 9728) that tells the host which authorization server to ask;
 * a token without the required scope gets {@code 403}. The token is never passed on to an upstream server, nor logged.
 */
final class HostAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(HostAuthentication.class);
    static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private final Vertx vertx;
    private final HostAuthSettings settings;
    private final BearerTokens tokens;

    HostAuthentication(Vertx vertx, HostAuthSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.tokens = settings.mode() == HostAuthSettings.Mode.OAUTH ? new BearerTokens(settings) : null;
    }

    boolean required() {
        return tokens != null;
    }

    /** Route handler for {@code /mcp[/:server]}: passes an authenticated request on, answers the others. */
    void handle(RoutingContext ctx) {
        if (tokens == null) {
            ctx.next();
            return;
        }
        String server = ctx.pathParam("server");
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            challenge(ctx, server, null, "Authentication required: send Authorization: Bearer <token> (see "
                    + metadataUrl(server) + ")");
            return;
        }
        String token = header.substring(7).trim();
        vertx.executeBlocking(() -> tokens.verify(token, server), false).onComplete(verified -> {
            if (verified.succeeded()) {
                ctx.put(HostPrincipal.CONTEXT_KEY, verified.result());
                ctx.next();
            } else if (verified.cause() instanceof BearerTokens.Refused refused) {
                LOG.info("Host request to {} refused: {}", ctx.request().path(), refused.getMessage());
                if (refused.insufficientScope()) {
                    ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\""
                            + settings.requiredScope() + "\", resource_metadata=\"" + metadataUrl(server) + "\"");
                    GatewayErrors.http(ctx.response(), 403, null, "Forbidden: " + refused.getMessage());
                } else {
                    challenge(ctx, server, refused.getMessage(), "Invalid token: " + refused.getMessage());
                }
            } else {
                LOG.error("Host token check failed: {}", verified.cause().toString());
                GatewayErrors.http(ctx.response(), 500, null, "The token could not be checked");
            }
        });
    }

    /** Protected Resource Metadata (RFC 9728) of the gateway, or of one of its servers ({@code /mcp/<server>}). */
    void metadata(RoutingContext ctx, String server) {
        JsonObject metadata = new JsonObject()
                .put("resource", server == null ? settings.resource() + "/mcp" : settings.resourceOf(server))
                .put("authorization_servers", new JsonArray().add(settings.issuer().toString()))
                .put("scopes_supported", new JsonArray().add(settings.requiredScope()))
                .put("bearer_methods_supported", new JsonArray().add("header"))
                .put("resource_name", "Sampling Broker MCP gateway");
        ctx.response().putHeader("Content-Type", "application/json").end(metadata.encode());
    }

    /** The principal of the request being served, or null when hosts are not authenticated. */
    static HostPrincipal principalOf(RoutingContext ctx) {
        return ctx.get(HostPrincipal.CONTEXT_KEY);
    }

    private void challenge(RoutingContext ctx, String server, String error, String message) {
        String challenge = "Bearer resource_metadata=\"" + metadataUrl(server) + "\"";
        if (error != null) {
            challenge = "Bearer error=\"invalid_token\", error_description=\"" + error.replace("\"", "'")
                    + "\", resource_metadata=\"" + metadataUrl(server) + "\"";
        }
        ctx.response().putHeader("WWW-Authenticate", challenge);
        GatewayErrors.http(ctx.response(), 401, null, message);
    }

    private String metadataUrl(String server) {
        return settings.resource() + METADATA_PATH + "/mcp" + (server == null ? "" : "/" + server);
    }
}
