package io.samplingbroker.broker.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who a host is, as its credential says: the identity on its sessions, events, rules and limits. A name the host
 * gives itself ({@code X-Sampling-Host-Id}, {@code clientInfo.name}) never replaces it.
 *
 * @param subject the token's {@code sub}: the host id
 * @param tenant the tenant claim's value, or null when the token has none
 * @param scopes the token's scopes
 */
public record HostPrincipal(String subject, String tenant, Set<String> scopes) {

    /** Where the gateway keeps the principal of the request it is serving ({@code RoutingContext.get}). */
    public static final String CONTEXT_KEY = "sampling.host.principal";

    public HostPrincipal {
        Objects.requireNonNull(subject, "subject");
        scopes = Set.copyOf(scopes);
    }
}
