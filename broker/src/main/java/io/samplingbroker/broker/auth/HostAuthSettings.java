package io.samplingbroker.broker.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.samplingbroker.serviceruntime.ConfigFileException;
import io.samplingbroker.serviceruntime.ConfigSource;

/**
 * How the gateway knows who a host is.
 *
 * @param mode {@code oauth}: every request carries a bearer JWT from the issuer or an API key from the admin command
 *     ({@code broker.auth.mode}, the default); {@code keys}: API keys only, for a deployment of machine hosts without
 *     an identity provider; {@code none}: hosts name themselves ({@code X-Sampling-Host-Id}, {@code clientInfo.name}),
 *     allowed only when the gateway listens on loopback
 * @param issuer the authorization server whose tokens are accepted: the token's {@code iss}
 *     ({@code broker.auth.issuer}); null in {@code keys} mode
 * @param jwksUrl where its signing keys are ({@code broker.auth.jwks.url}); null in {@code keys} mode
 * @param resource the gateway's public base URL, {@code https://broker.example.com} ({@code broker.auth.resource}):
 *     each server {@code <name>} is the protected resource {@code <resource>/mcp/<name>}, and a token's
 *     {@code aud} must name it, {@code <resource>/mcp} or {@code <resource>} (RFC 8707)
 * @param tenantClaim the claim that names the host's tenant ({@code broker.auth.tenant.claim}, default {@code tenant})
 * @param requiredScope the scope a host needs to use the gateway ({@code broker.auth.scope}, default
 *     {@code sampling:use})
 * @param clockSkew how far {@code exp} and {@code nbf} may be off ({@code broker.auth.clock.skew.s}, default 60 s)
 */
public record HostAuthSettings(Mode mode, URI issuer, URI jwksUrl, URI resource, String tenantClaim,
        String requiredScope, Duration clockSkew) {

    /** How hosts authenticate. */
    public enum Mode {
        OAUTH, KEYS, NONE
    }

    public static final String DEFAULT_SCOPE = "sampling:use";
    public static final String DEFAULT_TENANT_CLAIM = "tenant";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    public HostAuthSettings {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.OAUTH) {
            require(issuer, "broker.auth.issuer", "the issuer whose tokens are accepted (its iss)");
            require(jwksUrl, "broker.auth.jwks.url", "where the issuer's signing keys are (its jwks_uri)");
        }
        if (mode != Mode.NONE) {
            require(resource, "broker.auth.resource", "the gateway's public base URL, https://broker.example.com");
            if (resource.getPath() != null && !resource.getPath().isEmpty() && !resource.getPath().equals("/")
                    || resource.getQuery() != null || resource.getFragment() != null) {
                throw new ConfigFileException("broker.auth.resource is the gateway's base URL without a path, query or"
                        + " fragment (https://broker.example.com), got " + resource);
            }
            if (tenantClaim == null || tenantClaim.isBlank()) {
                throw new ConfigFileException("broker.auth.tenant.claim must name a claim");
            }
            if (requiredScope == null || requiredScope.isBlank() || requiredScope.contains(" ")) {
                throw new ConfigFileException("broker.auth.scope must be one scope, got '" + requiredScope + "'");
            }
            if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new ConfigFileException("broker.auth.clock.skew.s must be in 0..600, got " + clockSkew);
            }
            resource = URI.create(resource.toString().replaceAll("/+$", ""));
        }
    }

    /** Hosts name themselves: for a gateway on loopback only (the dev stack, the tests). */
    public static HostAuthSettings none() {
        return new HostAuthSettings(Mode.NONE, null, null, null, null, null, null);
    }

    /** API keys only, with the default scope. */
    public static HostAuthSettings keys(URI resource) {
        return new HostAuthSettings(Mode.KEYS, null, null, resource, DEFAULT_TENANT_CLAIM, DEFAULT_SCOPE,
                DEFAULT_CLOCK_SKEW);
    }

    /** Whether hosts must authenticate (by token or key). */
    public boolean required() {
        return mode != Mode.NONE;
    }

    /** Bearer JWTs of {@code issuer} (and API keys), with the default claim, scope and skew. */
    public static HostAuthSettings oauth(URI issuer, URI jwksUrl, URI resource) {
        return new HostAuthSettings(Mode.OAUTH, issuer, jwksUrl, resource, DEFAULT_TENANT_CLAIM, DEFAULT_SCOPE,
                DEFAULT_CLOCK_SKEW);
    }

    public static HostAuthSettings fromSettings(Map<String, String> settings) {
        String mode = settings.getOrDefault("broker.auth.mode", "oauth").trim().toLowerCase(Locale.ROOT);
        if (mode.equals("none")) {
            return none();
        }
        if (!mode.equals("oauth") && !mode.equals("keys")) {
            throw new ConfigFileException("broker.auth.mode must be oauth, keys or none, got '" + mode + "'");
        }
        return new HostAuthSettings(Mode.valueOf(mode.toUpperCase(Locale.ROOT)), uri(settings, "broker.auth.issuer"),
                uri(settings, "broker.auth.jwks.url"), uri(settings, "broker.auth.resource"),
                settings.getOrDefault("broker.auth.tenant.claim", DEFAULT_TENANT_CLAIM),
                settings.getOrDefault("broker.auth.scope", DEFAULT_SCOPE),
                Duration.ofSeconds(ConfigSource.wholeNumber(settings, "broker.auth.clock.skew.s",
                        DEFAULT_CLOCK_SKEW.toSeconds())));
    }

    /** The protected resource a server of the gateway is: {@code <resource>/mcp/<server>}. */
    public String resourceOf(String serverName) {
        return resource + "/mcp/" + serverName;
    }

    private static URI uri(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new ConfigFileException(key + " must be an http(s) URL, got '" + value + "'");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new ConfigFileException(key + " is not a URL: " + e.getMessage());
        }
    }

    private static void require(URI value, String key, String what) {
        if (value == null) {
            throw new ConfigFileException("broker.auth.mode=" + (key.equals("broker.auth.resource") ? "oauth or keys"
                    : "oauth") + " needs " + key + " (" + what + "); a gateway on loopback only may use"
                    + " broker.auth.mode=none instead");
        }
    }
}
