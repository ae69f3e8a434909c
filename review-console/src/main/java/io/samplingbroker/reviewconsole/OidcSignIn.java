package io.samplingbroker.reviewconsole;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.samplingbroker.schemas.json.McpJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * Reviewers' sign-in through the identity provider (OpenID Connect authorization code flow with PKCE, RFC 7636).
 * {@code GET /api/oidc/login} sends the browser to the provider with a fresh {@code state}, {@code nonce} and
 * {@code S256} code challenge, the state also in a cookie of this browser (so a sign-in started elsewhere cannot be
 * completed here); {@code GET /api/oidc/callback} checks the state, exchanges the code with the verifier at the token
 * endpoint (off the event loop), verifies the ID token (signature against the provider's JWKS, {@code iss},
 * {@code aud} = the client id, expiry, the nonce), and signs the reviewer in as the password form does: their name and
 * tenants come from the token's claims. Nothing of the token is kept or logged.
 */
final class OidcSignIn {

    private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);
    static final String STATE_COOKIE = "review_oidc";
    private static final Duration PENDING_FOR = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;
    private static final int MAX_NAME_CHARS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA);

    /** A sign-in sent to the provider, waiting for the browser to come back. */
    private record Pending(String nonce, String verifier, Instant startedAt) {
    }

    /** What the provider's discovery document says. */
    record Endpoints(URI authorization, URI token, URI jwks) {
    }

    private final Vertx vertx;
    private final OidcSignInConfig config;
    private final Endpoints endpoints;
    private final AuthRoutes auth;
    private final Clock clock;
    private final JWKSource<SecurityContext> keys;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private OidcSignIn(Vertx vertx, OidcSignInConfig config, Endpoints endpoints, AuthRoutes auth, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.endpoints = endpoints;
        this.auth = auth;
        this.clock = clock;
        try {
            this.keys = JWKSourceBuilder.create(endpoints.jwks().toURL()).retrying(true).build();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException("The provider's jwks_uri is not a URL: " + endpoints.jwks(), e);
        }
    }

    /**
     * Reads the provider's {@code /.well-known/openid-configuration}; blocking (start-up only).
     *
     * @throws IllegalStateException when it cannot be read or names another issuer
     */
    static OidcSignIn discover(Vertx vertx, OidcSignInConfig config, AuthRoutes auth, Clock clock) {
        URI discovery = URI.create(config.issuer().toString().replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(discovery)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The identity provider's " + discovery + " answered "
                        + response.statusCode());
            }
            JsonNode document = McpJson.parse(response.body());
            if (!config.issuer().toString().equals(document.path("issuer").asText())) {
                throw new IllegalStateException("The identity provider at " + discovery + " names itself '"
                        + document.path("issuer").asText() + "', not review.oidc.issuer " + config.issuer());
            }
            Endpoints endpoints = new Endpoints(URI.create(document.path("authorization_endpoint").asText()),
                    URI.create(document.path("token_endpoint").asText()), URI.create(document.path("jwks_uri").asText()));
            LOG.info("Review console: reviewers may sign in through {}", config.issuer());
            return new OidcSignIn(vertx, config, endpoints, auth, clock);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the identity provider's configuration at " + discovery + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + discovery, e);
        }
    }

    /** {@code GET /api/oidc/login}: to the provider. */
    void login(RoutingContext ctx) {
        forgetExpired();
        if (pending.size() >= MAX_PENDING) {
            ConsoleErrors.TOO_MANY_ATTEMPTS.send(ctx.response(), "Too many sign-ins in progress; try again shortly");
            return;
        }
        String state = random();
        String verifier = random();
        Pending started = new Pending(random(), verifier, clock.instant());
        pending.put(state, started);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", config.clientId());
        query.put("redirect_uri", config.redirectUri().toString());
        query.put("scope", "openid profile");
        query.put("state", state);
        query.put("nonce", started.nonce());
        query.put("code_challenge", challengeOf(verifier));
        query.put("code_challenge_method", "S256");
        // Lax: the provider's redirect back is a cross-site navigation, on which a Strict cookie is not sent
        ctx.response().addCookie(Cookie.cookie(STATE_COOKIE, state).setPath("/api/oidc").setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setSecure(ctx.request().isSSL())
                .setMaxAge(PENDING_FOR.toSeconds()));
        ctx.response().putHeader("Location", endpoints.authorization() + (endpoints.authorization().getQuery() == null
                ? "?" : "&") + form(query)).setStatusCode(302).end();
    }

    /** {@code GET /api/oidc/callback}: the provider's answer. */
    void callback(RoutingContext ctx) {
        String state = ctx.request().getParam("state");
        Cookie bound = ctx.request().getCookie(STATE_COOKIE);
        Pending started = state == null ? null : pending.remove(state);
        ctx.response().addCookie(Cookie.cookie(STATE_COOKIE, "").setPath("/api/oidc").setMaxAge(0));
        if (started == null || bound == null || !MessageDigest.isEqual(bound.getValue().getBytes(
                StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))
                || started.startedAt().plus(PENDING_FOR).isBefore(clock.instant())) {
            ConsoleErrors.SIGN_IN_EXPIRED.send(ctx.response(), "This sign-in was not started in this browser or has"
                    + " expired: start again from the review console");
            return;
        }
        String error = ctx.request().getParam("error");
        if (error != null) {
            LOG.info("Review console: the identity provider refused a sign-in: {}", error);
            ConsoleErrors.SIGN_IN_REFUSED.send(ctx.response(), "The identity provider refused the sign-in: "
                    + error.replaceAll("[^A-Za-z0-9_.-]", ""));
            return;
        }
        String code = ctx.request().getParam("code");
        if (code == null || code.isBlank()) {
            ConsoleErrors.INVALID_REQUEST.send(ctx.response(), "The identity provider sent no code");
            return;
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
        exchange(code, started.verifier()).thenCompose(idToken -> vertx.executeBlocking(() -> claimsOf(idToken,
                started.nonce()), false).toCompletionStage()).whenComplete((claims, failure) ->
                        ctx.vertx().runOnContext(v -> {
                            if (failure != null) {
                                refused(ctx, failure instanceof java.util.concurrent.CompletionException c
                                        && c.getCause() != null ? c.getCause() : failure);
                            } else {
                                signIn(ctx, claims, address);
                            }
                        }));
    }

    private java.util.concurrent.CompletableFuture<String> exchange(String code, String verifier) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", config.redirectUri().toString());
        body.put("client_id", config.clientId());
        body.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoints.token()).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(body)));
        if (config.clientSecret() != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((enc(config.clientId())
                    + ":" + enc(config.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            JsonNode answer = McpJson.parse(response.body().isBlank() ? "{}" : response.body());
            if (response.statusCode() != 200 || !answer.path("id_token").isTextual()) {
                throw new ProviderFailure("the token endpoint answered " + response.statusCode()
                        + (answer.path("error").isTextual() ? " " + answer.path("error").asText() : ""));
            }
            return answer.path("id_token").asText();
        });
    }

    /** Verifies the ID token; blocking when the provider's keys must be fetched. */
    private JWTClaimsSet claimsOf(String idToken, String nonce) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(config.clientId(),
                new JWTClaimsSet.Builder().issuer(config.issuer().toString()).claim("nonce", nonce).build(),
                Set.of("sub", "exp", "iat")));
        return processor.process(idToken, null);
    }

    private void signIn(RoutingContext ctx, JWTClaimsSet claims, String address) {
        String name = nameOf(claims);
        TenantScope tenants = tenantsOf(claims);
        if (name == null) {
            ConsoleErrors.SIGN_IN_REFUSED.send(ctx.response(), "The identity provider's token names no reviewer");
            return;
        }
        if (tenants == null) {
            LOG.info("Review console: sign-in of {} refused: no {} claim", name, config.tenantsClaim());
            ConsoleErrors.SIGN_IN_REFUSED.send(ctx.response(), name + " is not a reviewer of any tenant (the"
                    + " identity provider gave no " + config.tenantsClaim() + " claim)");
            return;
        }
        auth.startSession(ctx, name, tenants);
        LOG.info("Review console: {} signed in through {} from {} (tenants {})", name, config.issuer(), address,
                tenants);
        ctx.response().putHeader("Location", "/").setStatusCode(302).end();
    }

    private void refused(RoutingContext ctx, Throwable failure) {
        if (failure instanceof ProviderFailure || failure instanceof IOException) {
            LOG.warn("Review console: the identity provider did not complete a sign-in: {}", failure.getMessage());
            ConsoleErrors.IDENTITY_PROVIDER_FAILED.send(ctx.response(), "The identity provider did not complete the"
                    + " sign-in: " + failure.getMessage());
        } else {
            LOG.warn("Review console: an ID token was refused: {}", failure.getMessage());
            ConsoleErrors.SIGN_IN_REFUSED.send(ctx.response(), "The identity provider's token was refused: "
                    + failure.getMessage());
        }
    }

    private String nameOf(JWTClaimsSet claims) {
        Object name = claims.getClaim(config.nameClaim());
        String text = name instanceof String given && !given.isBlank() ? given : claims.getSubject();
        return text == null || text.length() > MAX_NAME_CHARS || text.chars().anyMatch(Character::isISOControl)
                ? null : text;
    }

    private TenantScope tenantsOf(JWTClaimsSet claims) {
        Object value = claims.getClaim(config.tenantsClaim());
        String names = value instanceof Collection<?> list ? list.stream().map(String::valueOf)
                .collect(Collectors.joining(",")) : value instanceof String text ? text.replace(' ', ',') : null;
        try {
            return names == null ? null : TenantScope.parse(names);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void forgetExpired() {
        Instant oldest = clock.instant().minus(PENDING_FOR);
        pending.values().removeIf(started -> started.startedAt().isBefore(oldest));
    }

    private static String challengeOf(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** 256 random bits, base64url: a state, a nonce, a code verifier (43 characters, as RFC 7636 allows). */
    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The provider failed (not the reviewer): a 502. */
    private static final class ProviderFailure extends RuntimeException {
        ProviderFailure(String message) {
            super(message);
        }
    }
}
