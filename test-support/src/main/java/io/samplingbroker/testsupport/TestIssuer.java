package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
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
import com.sun.net.httpserver.HttpServer;

/**
 * A local authorization server's part that a resource server sees, for tests (a real identity provider cannot be
 * reached from here): an RSA signing key, its JWKS at {@code /jwks.json} over HTTP on loopback, and access tokens
 * signed the way an OIDC issuer signs them ({@code at+jwt}, RS256, {@code kid}). {@link #rotate} replaces the key, so
 * a token names a key the resource server has not seen; {@link #jwksFetches} counts the fetches.
 */
public final class TestIssuer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile RSAKey key;

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
        server.start();
        return issuer;
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
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                    .type(new JOSEObjectType("at+jwt")).build(), claims);
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
