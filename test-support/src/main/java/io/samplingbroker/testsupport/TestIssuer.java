package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local OpenID Connect provider for tests (a real identity provider cannot be reached from here), speaking the
 * wire formats a client and a resource server see: an RSA signing key, its JWKS at {@code /jwks.json} over HTTP on
 * loopback, access tokens signed the way an OIDC issuer signs them ({@code at+jwt}, RS256, {@code kid}), and the
 * authorization code flow with PKCE for a browser sign-in: discovery at {@code /.well-known/openid-configuration},
 * {@code /authorize} (which signs in whoever {@link #signInAs} names, without a login page, and redirects back with a
 * code) and {@code /token} (which checks the code, the client, the redirect URI and the {@code code_verifier} against
 * the {@code S256} challenge, as RFC 7636 says, and answers an ID token carrying the nonce). {@link #rotate} replaces
 * the key, so a token names a key the resource server has not seen; {@link #jwksFetches} counts the fetches.
 */
public final class TestIssuer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private final Map<String, Authorization> codes = new ConcurrentHashMap<>();
    private volatile RSAKey key;
    private volatile Map<String, Object> signedIn = Map.of();

    /** A code handed out by {@code /authorize}, and what its redemption must match. */
    private record Authorization(String clientId, String redirectUri, String challenge, String nonce,
            Map<String, Object> claims) {
    }

    private TestIssuer(HttpServer server) {
        this.server = server;
        this.key = newKey();
    }

    /** Starts serving the JWKS on a free loopback port. */
    public static TestIssuer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TestIssuer issuer = new TestIssuer(server);
        server.createContext("/jwks.json", exchange -> {
            issuer.fetches.incrementAndGet();
            byte[] body = new JWKSet(issuer.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/.well-known/openid-configuration", exchange -> respond(exchange, 200,
                "{\"issuer\":\"" + issuer.issuer() + "\",\"authorization_endpoint\":\"" + issuer.issuer()
                        + "/authorize\",\"token_endpoint\":\"" + issuer.issuer() + "/token\",\"jwks_uri\":\""
                        + issuer.jwksUrl() + "\",\"response_types_supported\":[\"code\"],"
                        + "\"code_challenge_methods_supported\":[\"S256\"],\"subject_types_supported\":[\"public\"],"
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
        server.createContext("/authorize", issuer::authorize);
        server.createContext("/token", issuer::token);
        server.start();
        return issuer;
    }

    /**
     * Whom {@code /authorize} signs in from now on: the ID token's claims beside {@code iss}, {@code aud},
     * {@code nonce} and the times ({@code sub}, {@code preferred_username}, a tenants claim, ...).
     */
    public void signInAs(Map<String, Object> claims) {
        signedIn = Map.copyOf(claims);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String redirect = query.get("redirect_uri");
        if (!"code".equals(query.get("response_type")) || query.get("client_id") == null || redirect == null
                || query.get("code_challenge") == null || !"S256".equals(query.get("code_challenge_method"))) {
            respond(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"response_type=code,"
                    + " client_id, redirect_uri and an S256 code_challenge are required\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Authorization(query.get("client_id"), redirect, query.get("code_challenge"),
                query.get("nonce"), signedIn));
        exchange.getResponseHeaders().add("Location", redirect + (redirect.contains("?") ? "&" : "?") + "code="
                + code + "&state=" + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Authorization granted = body.get("code") == null ? null : codes.remove(body.get("code"));
        if (!"POST".equals(exchange.getRequestMethod()) || !"authorization_code".equals(body.get("grant_type"))
                || granted == null || !granted.clientId().equals(body.get("client_id"))
                || !granted.redirectUri().equals(body.get("redirect_uri"))) {
            respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String verifier = body.getOrDefault("code_verifier", "");
        if (!challengeOf(verifier).equals(granted.challenge())) {
            respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification"
                    + " failed\"}");
            return;
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer().toString())
                .audience(granted.clientId()).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))).claim("nonce", granted.nonce());
        granted.claims().forEach(claims::claim);
        String idToken = sign(claims.build(), key, JOSEObjectType.JWT);
        respond(exchange, 200, "{\"access_token\":\"" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"id_token\":\"" + idToken + "\"}");
    }

    private static String challengeOf(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            values.put(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The issuer identifier, its {@code iss}. */
    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI jwksUrl() {
        return URI.create(issuer() + "/jwks.json");
    }

    /** How many times the JWKS was fetched. */
    public int jwksFetches() {
        return fetches.get();
    }

    /** A new signing key (a new {@code kid}); the JWKS serves only the new one from now on. */
    public void rotate() {
        key = newKey();
    }

    /** A token for {@code subject} in {@code tenant} with {@code scope}, for {@code audience}, valid for 5 minutes. */
    public String token(String subject, String tenant, String scope, String audience) {
        return sign(claims(subject, tenant, scope, audience, Instant.now().plus(Duration.ofMinutes(5))).build(), key);
    }

    /** The claims of {@link #token}, to change before signing them with {@link #sign}. */
    public JWTClaimsSet.Builder claims(String subject, String tenant, String scope, String audience, Instant expires) {
        return new JWTClaimsSet.Builder().issuer(issuer().toString()).subject(subject).audience(List.of(audience))
                .claim("tenant", tenant).claim("scope", scope).issueTime(new Date())
                .expirationTime(Date.from(expires)).jwtID(UUID.randomUUID().toString());
    }

    /** Signs claims with the current key. */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, key);
    }

    /** Signs claims with a key the issuer never published: a forged token. */
    public static String forge(JWTClaimsSet claims) {
        return sign(claims, newKey());
    }

    private static String sign(JWTClaimsSet claims, RSAKey signingKey) {
        return sign(claims, signingKey, new JOSEObjectType("at+jwt"));
    }

    private static String sign(JWTClaimsSet claims, RSAKey signingKey, JOSEObjectType type) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                    .type(type).build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a test token", e);
        }
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot make an RSA key", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
