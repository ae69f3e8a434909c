package io.samplingbroker.broker;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.broker.delegation.DelegationSettings;
import io.samplingbroker.serviceruntime.ConfigFileException;
import io.samplingbroker.serviceruntime.ConfigSource;

/**
 * What the gateway accepts from hosts, who they are, and how far it goes for them.
 *
 * @param allowedHosts host names a request's {@code Host} header may name (DNS rebinding); loopback names by default
 * @param allowedOrigins browser origins ({@code scheme://host[:port]}) allowed in {@code Origin}; empty: any origin
 *     whose host is a loopback name
 * @param maxInputRounds how many {@code input_required} rounds the broker answers for one host request before it gives
 *     up with an error to the host
 * @param requestStateKey the key that signs the {@code requestState} the broker gives 2026-07-28 hosts; every instance
 *     behind one load balancer needs the same key, so a retry can reach any of them
 * @param auth how hosts authenticate ({@code broker.auth.*})
 * @param limits how much one host, and all together, may hold ({@code broker.limits.*})
 * @param delegation how long the delegation API waits for outcomes and keeps them ({@code broker.delegation.*})
 */
public record GatewaySettings(Set<String> allowedHosts, Set<String> allowedOrigins, int maxInputRounds,
        byte[] requestStateKey, HostAuthSettings auth, GatewayLimits limits, DelegationSettings delegation) {

    public static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    static final int MIN_KEY_BYTES = 32;

    public GatewaySettings {
        allowedHosts = normalized(allowedHosts);
        if (allowedHosts.isEmpty()) {
            throw new ConfigFileException("broker.http.allowed.hosts must name at least one host");
        }
        allowedOrigins = normalized(allowedOrigins);
        for (String origin : allowedOrigins) {
            if (!origin.matches("https?://[^/\\s]+")) {
                throw new ConfigFileException("broker.http.allowed.origins entries look like https://app.example.com"
                        + " (scheme, host, optional port; no path), got '" + origin + "'");
            }
        }
        if (maxInputRounds < 1 || maxInputRounds > 64) {
            throw new ConfigFileException("broker.input.max.rounds must be in 1..64, got " + maxInputRounds);
        }
        if (requestStateKey == null || requestStateKey.length < MIN_KEY_BYTES) {
            throw new ConfigFileException("broker.request.state.secret must be at least " + MIN_KEY_BYTES + " bytes");
        }
        requestStateKey = requestStateKey.clone();
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(delegation, "delegation");
    }

    /**
     * Loopback hosts and origins only, 8 rounds, a key of this process alone, hosts not authenticated: right for one
     * instance on this machine (the dev stack, the tests).
     */
    public static GatewaySettings loopback() {
        return new GatewaySettings(LOOPBACK_HOSTS, Set.of(), 8, randomKey(), HostAuthSettings.none(),
                GatewayLimits.DEFAULTS, DelegationSettings.DEFAULTS);
    }

    /** The same settings, hosts authenticating as {@code auth} says. */
    public GatewaySettings withAuth(HostAuthSettings auth) {
        return new GatewaySettings(allowedHosts, allowedOrigins, maxInputRounds, requestStateKey, auth, limits,
                delegation);
    }

    /** The same settings with other limits. */
    public GatewaySettings withLimits(GatewayLimits limits) {
        return new GatewaySettings(allowedHosts, allowedOrigins, maxInputRounds, requestStateKey, auth, limits,
                delegation);
    }

    /** The same settings with other delegation API limits. */
    public GatewaySettings withDelegation(DelegationSettings delegation) {
        return new GatewaySettings(allowedHosts, allowedOrigins, maxInputRounds, requestStateKey, auth, limits,
                delegation);
    }

    static GatewaySettings fromSettings(Map<String, String> settings, String httpHost) {
        Set<String> hosts = new LinkedHashSet<>(list(settings.get("broker.http.allowed.hosts")));
        if (hosts.isEmpty()) {
            hosts.addAll(LOOPBACK_HOSTS);
            if (!httpHost.equals("0.0.0.0") && !httpHost.equals("::")) {
                hosts.add(httpHost); // the address it listens on names itself
            }
        }
        String secret = settings.get("broker.request.state.secret");
        return new GatewaySettings(hosts, new LinkedHashSet<>(list(settings.get("broker.http.allowed.origins"))),
                (int) ConfigSource.wholeNumber(settings, "broker.input.max.rounds", 8),
                secret == null || secret.isBlank() ? randomKey() : secret.getBytes(StandardCharsets.UTF_8),
                HostAuthSettings.fromSettings(settings), GatewayLimits.fromSettings(settings),
                DelegationSettings.fromSettings(settings));
    }

    private static Set<String> list(String value) {
        Set<String> items = new LinkedHashSet<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private static Set<String> normalized(Set<String> values) {
        Set<String> lower = new LinkedHashSet<>();
        values.forEach(value -> lower.add(value.trim().toLowerCase(Locale.ROOT)));
        return Set.copyOf(lower);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Override
    public byte[] requestStateKey() {
        return requestStateKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GatewaySettings that && allowedHosts.equals(that.allowedHosts)
                && allowedOrigins.equals(that.allowedOrigins) && maxInputRounds == that.maxInputRounds
                && Arrays.equals(requestStateKey, that.requestStateKey) && auth.equals(that.auth) && limits.equals(that.limits)
                && delegation.equals(that.delegation);
    }

    @Override
    public int hashCode() {
        return allowedHosts.hashCode() * 31 + allowedOrigins.hashCode();
    }

    /** The signing key is never printed. */
    @Override
    public String toString() {
        return "GatewaySettings[allowedHosts=" + allowedHosts + ", allowedOrigins=" + allowedOrigins
                + ", maxInputRounds=" + maxInputRounds + ", requestStateKey=[redacted], auth=" + auth + ", limits=" + limits
                + ", delegation=" + delegation + "]";
    }
}
