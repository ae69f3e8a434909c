package io.samplingbroker.broker.auth;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Validates the bearer JWTs hosts send, with Nimbus JOSE+JWT: the signature against the issuer's JWKS (fetched, cached
 * and fetched again, rate-limited, when a token names a key it does not know), {@code exp} and {@code nbf} with the
 * configured skew, the issuer exactly, an audience naming the server the host calls (RFC 8707), and the required
 * scope. Blocking on a key fetch: call it off the event loop.
 */
public final class BearerTokens {

    /** Why a token was refused: {@code invalid_token} (401) or {@code insufficient_scope} (403), RFC 6750. */
    public static final class Refused extends Exception {

        private final boolean insufficientScope;

        Refused(String description, boolean insufficientScope) {
            super(description);
            this.insufficientScope = insufficientScope;
        }

        public boolean insufficientScope() {
            return insufficientScope;
        }
    }

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private final HostAuthSettings settings;
    private final JWKSource<SecurityContext> keys;
    private final Map<String, DefaultJWTProcessor<SecurityContext>> processors = new ConcurrentHashMap<>();

    public BearerTokens(HostAuthSettings settings) {
        this.settings = settings;
        try {
            this.keys = JWKSourceBuilder.create(settings.jwksUrl().toURL()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("broker.auth.jwks.url is not a URL: " + settings.jwksUrl(), e);
        }
    }

    /**
     * The principal of a valid token for the server {@code serverName} (empty: the gateway as a whole, for a request
     * that names no server); {@link Refused} says why not.
     */
    public HostPrincipal verify(String token, String serverName) throws Refused {
        JWTClaimsSet claims;
        try {
            claims = processors.computeIfAbsent(serverName == null ? "" : serverName, this::processor)
                    .process(token, null);
        } catch (ParseException e) {
            throw new Refused("the token is not a JWT", false);
        } catch (BadJWTException e) {
            throw new Refused(claimProblem(e.getMessage(), serverName), false);
        } catch (KeySourceException e) {
            throw new Refused("the issuer's signing keys cannot be fetched", false);
        } catch (BadJOSEException e) {
            throw new Refused("the token's signature or type is not valid (" + e.getMessage() + ")", false);
        } catch (JOSEException e) {
            throw new Refused("the token cannot be checked (" + e.getMessage() + ")", false);
        }
        Set<String> scopes = scopes(claims);
        if (!scopes.contains(settings.requiredScope())) {
            throw new Refused("the token lacks the scope " + settings.requiredScope(), true);
        }
        Object tenant = claims.getClaim(settings.tenantClaim());
        return new HostPrincipal(claims.getSubject(), tenant == null ? null : String.valueOf(tenant), scopes);
    }

    /** Nimbus's word on a claim ("Expired JWT", "JWT aud claim rejected", ...) in the host's terms. */
    private String claimProblem(String nimbus, String serverName) {
        String text = nimbus == null ? "" : nimbus;
        int missing = text.toLowerCase(Locale.ROOT).indexOf("missing required claims");
        if (missing >= 0) {
            return "the token lacks required claims " + text.substring(missing + "missing required claims".length())
                    .trim().replaceFirst("^:\\s*", "");
        }
        if (text.contains("Expired")) {
            return "the token expired (exp, " + settings.clockSkew().toSeconds() + " s of skew allowed)";
        }
        if (text.contains("before use time")) {
            return "the token is not valid yet (nbf)";
        }
        if (text.contains("aud claim")) {
            return "the token's audience (aud) does not name " + (serverName == null || serverName.isEmpty()
                    ? settings.resource() + "/mcp" : settings.resourceOf(serverName));
        }
        if (text.contains("iss claim")) {
            return "the token's issuer (iss) is not " + settings.issuer();
        }
        return "the token's claims are not accepted (" + text + ")";
    }

    private DefaultJWTProcessor<SecurityContext> processor(String serverName) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // RFC 9068 access tokens say at+jwt; plain JWTs (and none) are what most issuers still send.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        Set<String> audiences = new HashSet<>(Set.of(settings.resource() + "/mcp", settings.resource().toString()));
        if (!serverName.isEmpty()) {
            audiences.add(settings.resourceOf(serverName));
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audiences,
                new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(),
                Set.of("sub", "exp", "iss", "aud"), null);
        claims.setMaxClockSkew(Math.toIntExact(settings.clockSkew().toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    /** {@code scope} (space-separated, RFC 8693/9068) or {@code scp} (a list, as some issuers write it). */
    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new HashSet<>();
        Object scope = claims.getClaim("scope");
        if (scope instanceof String text) {
            scopes.addAll(List.of(text.trim().split("\\s+")));
        }
        Object scp = claims.getClaim("scp");
        if (scp instanceof List<?> list) {
            list.forEach(item -> scopes.add(String.valueOf(item)));
        }
        return scopes;
    }
}
