package io.samplingbroker.reviewconsole;

import java.net.URI;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/**
 * Reviewers' sign-in through the deployment's identity provider (OpenID Connect, authorization code with PKCE): the
 * same issuer the hosts' tokens come from. Reviewers signed in so need no password entry; what they may review comes
 * from their ID token.
 *
 * @param issuer the OpenID provider ({@code review.oidc.issuer}); its {@code /.well-known/openid-configuration} is
 *     read at start-up
 * @param clientId the console's client id at the provider ({@code review.oidc.client.id})
 * @param clientSecret its secret when the provider registered it as a confidential client
 *     ({@code review.oidc.client.secret}); null for a public client, which PKCE alone protects
 * @param redirectUri where the provider sends the browser back: the console's public URL and
 *     {@code /api/oidc/callback} ({@code review.oidc.redirect.uri}), registered at the provider
 * @param nameClaim the ID token claim that names the reviewer in decisions ({@code review.oidc.name.claim}, default
 *     {@code preferred_username}; {@code sub} when absent)
 * @param tenantsClaim the claim listing the tenants the reviewer reviews for ({@code review.oidc.tenants.claim},
 *     default {@code sampling_tenants}: a list, or names separated by spaces or commas, {@code *} for all); a person
 *     without it is not a reviewer and is refused
 */
public record OidcSignInConfig(URI issuer, String clientId, String clientSecret, URI redirectUri, String nameClaim,
        String tenantsClaim) {

    public static final String PREFIX = "review.oidc.";

    public OidcSignInConfig {
        require(issuer, "issuer");
        require(clientId, "client.id");
        require(redirectUri, "redirect.uri");
        if (!redirectUri.getPath().endsWith("/api/oidc/callback")) {
            throw new ConfigException(PREFIX + "redirect.uri", redirectUri, "must be the console's URL followed by"
                    + " /api/oidc/callback, as registered at the provider");
        }
        nameClaim = nameClaim == null || nameClaim.isBlank() ? "preferred_username" : nameClaim;
        tenantsClaim = tenantsClaim == null || tenantsClaim.isBlank() ? "sampling_tenants" : tenantsClaim;
    }

    /** From {@code review.oidc.*}; null when {@code review.oidc.issuer} is not set (password sign-in only). */
    static OidcSignInConfig fromSettings(Map<String, String> settings) {
        String issuer = settings.get(PREFIX + "issuer");
        if (issuer == null || issuer.isBlank()) {
            return null;
        }
        return new OidcSignInConfig(uri(settings, "issuer"), settings.get(PREFIX + "client.id"),
                settings.get(PREFIX + "client.secret"), uri(settings, "redirect.uri"),
                settings.get(PREFIX + "name.claim"), settings.get(PREFIX + "tenants.claim"));
    }

    private static URI uri(Map<String, String> settings, String key) {
        String value = settings.get(PREFIX + key);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new ConfigException(PREFIX + key, value, "must be an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(PREFIX + key, value, "is not a URL: " + e.getMessage());
        }
    }

    private static void require(Object value, String key) {
        if (value == null || value instanceof String text && text.isBlank()) {
            throw new ConfigException("Sign-in through the identity provider needs " + PREFIX + key);
        }
    }

    @Override
    public String toString() {
        return "OidcSignInConfig[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret == null ? "none" : "(redacted)") + ", redirectUri=" + redirectUri + ", nameClaim="
                + nameClaim + ", tenantsClaim=" + tenantsClaim + "]";
    }
}
