package io.samplingbroker.broker.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import io.samplingbroker.broker.GatewaySettings;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.net.HostAndPort;

/**
 * DNS rebinding and cross-site defence, as MCP asks of HTTP servers: the {@code Host} a request names must be one of
 * the allowed hosts (a page on evil.example.com whose name now resolves to 127.0.0.1 still sends
 * {@code Host: evil.example.com}), and a browser's {@code Origin}, when sent, must be an allowed origin. MCP clients
 * that are not browsers send no {@code Origin}.
 */
public final class RequestGuard {

    private final GatewaySettings settings;

    RequestGuard(GatewaySettings settings) {
        this.settings = settings;
    }

    /** Route handler: refuses (403, before anything is read) what {@link #refusal} refuses, passes the rest on. */
    public void handle(RoutingContext ctx, Refusals refusals) {
        String refusal = refusal(ctx.request());
        if (refusal != null) {
            refusals.send(ctx.response(), 403, refusal);
        } else {
            ctx.next();
        }
    }

    /** Why the request is refused (403), or null when it may pass. */
    String refusal(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null || authority.host() == null || authority.host().isEmpty()) {
            return "A Host header is required";
        }
        String host = authority.host().toLowerCase(Locale.ROOT);
        if (!settings.allowedHosts().contains(host)) {
            return "Host " + authority.host() + " is not allowed (broker.http.allowed.hosts: " + settings.allowedHosts()
                    + ")";
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin.trim().toLowerCase(Locale.ROOT))) {
            return "Origin " + origin + " is not allowed";
        }
        return null;
    }

    private boolean originAllowed(String origin) {
        if (!settings.allowedOrigins().isEmpty()) {
            return settings.allowedOrigins().contains(origin);
        }
        try {
            String host = new URI(origin).getHost();
            return host != null && GatewaySettings.LOOPBACK_HOSTS.contains(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
