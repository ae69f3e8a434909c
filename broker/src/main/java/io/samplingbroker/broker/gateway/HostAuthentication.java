package io.samplingbroker.broker.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.auth.BearerTokens;
import io.samplingbroker.broker.auth.HostApiKeys;
import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.broker.auth.HostPrincipal;
import io.samplingbroker.serviceruntime.keys.HostKeyText;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway as an OAuth 2.1 resource server (MCP authorization): every request to {@code /mcp} carries a bearer
 * credential, a JWT checked off the event loop ({@link BearerTokens}) or an API key ({@code sbk_...}, checked in
 * memory: {@link HostApiKeys}); the principal is put on the routing context for the handlers. A request without a token, or with one that fails, gets {@code 401} and a {@code WWW-Authenticate}
 * challenge naming the Protected Resource Metadata (RFC 9728) that tells the host which authorization server to ask;
 * a token without the required scope gets {@code 403}. The token is never passed on to an upstream server, nor logged.
 */
public final class HostAuthentication {



    private static final Logger LOG = LoggerFactory.getLogger(HostAuthentication.class);
    static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private final Vertx vertx;
    private final HostAuthSettings settings;
    private final BearerTokens tokens;
    private final HostApiKeys apiKeys;

    /** {@code apiKeys} is required unless hosts are not authenticated. */
    HostAuthentication(Vertx vertx, HostAuthSettings settings, HostApiKeys apiKeys) {
        if (settings.required() && apiKeys == null) {
            throw new IllegalArgumentException("Authenticated hosts need the API keys");
        }
        this.vertx = vertx;
        this.settings = settings;
        this.tokens = settings.mode() == HostAuthSettings.Mode.OAUTH ? new BearerTokens(settings) : null;
        this.apiKeys = apiKeys;
    }

    boolean required() {
        return settings.required();
    }

    /** Route handler for {@code /mcp[/:server]}: passes an authenticated request on, answers the others. */
    void handle(RoutingContext ctx) {
        handle(ctx, Refusals.JSON_RPC);
    }

    /** Passes an authenticated request on; answers the others with {@code refusals}. */
    public void handle(RoutingContext ctx, Refusals refusals) {
        if (!required()) {
            ctx.next();
            return;
        }
        String server = ctx.pathParam("server");
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            challenge(ctx, refusals, server, null, "Authentication required: send Authorization: Bearer <token> (see "
                    + metadataUrl(server) + ")");
            return;
        }
        String credential = header.substring(7).trim();
        if (HostKeyText.isKey(credential)) {
            try {
                accept(ctx, apiKeys.verify(credential));
            } catch (BearerTokens.Refused refused) {
                refuse(ctx, refusals, server, refused);
            }
            return;
        }
        if (tokens == null) {
            challenge(ctx, refusals, server, "this gateway accepts API keys only", "Invalid token: this gateway accepts API"
                    + " keys only (sbk_...)");
            return;
        }
        vertx.executeBlocking(() -> tokens.verify(credential, server), false).onComplete(verified -> {
            if (verified.succeeded()) {
                accept(ctx, verified.result());
            } else if (verified.cause() instanceof BearerTokens.Refused refused) {
                refuse(ctx, refusals, server, refused);
            } else {
                LOG.error("Host token check failed: {}", verified.cause().toString());
                refusals.send(ctx.response(), 500, "The token could not be checked");
            }
        });
    }

    private static void accept(RoutingContext ctx, HostPrincipal principal) {
        ctx.put(HostPrincipal.CONTEXT_KEY, principal);
        ctx.next();
    }

    private void refuse(RoutingContext ctx, Refusals refusals, String server, BearerTokens.Refused refused) {
        LOG.info("Host request to {} refused: {}", ctx.request().path(), refused.getMessage());
        if (refused.insufficientScope()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\""
                    + settings.requiredScope() + "\", resource_metadata=\"" + metadataUrl(server) + "\"");
            refusals.send(ctx.response(), 403, "Forbidden: " + refused.getMessage());
        } else {
            challenge(ctx, refusals, server, refused.getMessage(), "Invalid token: " + refused.getMessage());
        }
    }

    /** Protected Resource Metadata (RFC 9728) of the gateway, or of one of its servers ({@code /mcp/<server>}). */
    void metadata(RoutingContext ctx, String server) {
        JsonObject metadata = new JsonObject()
                .put("resource", server == null ? settings.resource() + "/mcp" : settings.resourceOf(server))
                .put("scopes_supported", new JsonArray().add(settings.requiredScope()))
                .put("bearer_methods_supported", new JsonArray().add("header"))
                .put("resource_name", "Sampling Broker MCP gateway");
        if (settings.issuer() != null) { // with API keys only there is no authorization server to send a host to
            metadata.put("authorization_servers", new JsonArray().add(settings.issuer().toString()));
        }
        ctx.response().putHeader("Content-Type", "application/json").end(metadata.encode());
    }

    /** The principal of the request being served, or null when hosts are not authenticated. */
    static HostPrincipal principalOf(RoutingContext ctx) {
        return ctx.get(HostPrincipal.CONTEXT_KEY);
    }

    private void challenge(RoutingContext ctx, Refusals refusals, String server, String error, String message) {
        String challenge = "Bearer resource_metadata=\"" + metadataUrl(server) + "\"";
        if (error != null) {
            challenge = "Bearer error=\"invalid_token\", error_description=\"" + error.replace("\"", "'")
                    + "\", resource_metadata=\"" + metadataUrl(server) + "\"";
        }
        ctx.response().putHeader("WWW-Authenticate", challenge);
        refusals.send(ctx.response(), 401, message);
    }

    private String metadataUrl(String server) {
        return settings.resource() + METADATA_PATH + "/mcp" + (server == null ? "" : "/" + server);
    }
}
