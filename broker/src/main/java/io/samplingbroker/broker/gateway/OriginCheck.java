package io.samplingbroker.broker.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * Browsers send {@code Origin}; a page served from anywhere but this machine must not reach the gateway
 * (DNS rebinding). Requests without {@code Origin} (MCP clients that are not browsers) pass.
 */
final class OriginCheck {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private OriginCheck() {
    }

    static boolean isLoopback(String origin) {
        try {
            String host = new URI(origin).getHost();
            return host != null && LOOPBACK_HOSTS.contains(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
