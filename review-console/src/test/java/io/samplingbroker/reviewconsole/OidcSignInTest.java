package io.samplingbroker.reviewconsole;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.testsupport.TestIssuer;
import io.vertx.core.Vertx;

/**
 * A reviewer signs in through the identity provider (a local OpenID provider, {@link TestIssuer}: authorization code
 * with PKCE), as a browser would, following each redirect by hand: their name and tenants come from the ID token, and
 * they see only their tenants' items. A callback in a browser that did not start the sign-in, and a person the
 * provider gives no tenants, are refused.
 */
class OidcSignInTest {

    private final InMemoryReviewQueue queue = new InMemoryReviewQueue();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private TestIssuer issuer;
    private Vertx vertx;
    private ReviewConsoleServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        issuer = TestIssuer.start();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        ReviewConsoleConfig config = ReviewConsoleConfig.of(Map.of("dev", PasswordHashing.hash("dev".toCharArray())))
                .withPort(port).withOidc(new OidcSignInConfig(issuer.issuer(), "review-console", null,
                        URI.create(base + "/api/oidc/callback"), null, null));
        vertx = Vertx.vertx();
        server = new ReviewConsoleServer(vertx, config, queue, command -> CompletableFuture.completedFuture(null),
                tenants -> new OverviewStats(Clock.systemUTC(), PriceCatalogue.none()).snapshot(tenants), Clock.systemUTC());
        server.listen().await();
        queue.put(item("req-a", "tenant-a"));
        queue.put(item("req-b", "tenant-b"));
    }

    @AfterEach
    void stop() {
        server.close().await();
        vertx.close().await();
        issuer.close();
    }

    @Test
    void givenAPersonOfTenantA_whenTheySignInThroughTheProvider_thenTheyAreAReviewerOfTenantAOnly() throws Exception {
        // Given
        issuer.signInAs(Map.of("sub", "u-1001", "preferred_username", "alice", "sampling_tenants", List.of("tenant-a")));
        assertThat(get("/api/sign-in-methods", null).body()).contains("\"identityProvider\":true");
        // When the browser goes to the provider and comes back
        HttpResponse<String> login = get("/api/oidc/login", null);
        assertThat(login.statusCode()).isEqualTo(302);
        String authorize = login.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(issuer.issuer() + "/authorize?").contains("code_challenge_method=S256")
                .contains("client_id=review-console");
        String stateCookie = cookie(login, OidcSignIn.STATE_COOKIE);
        HttpResponse<String> atProvider = http.send(HttpRequest.newBuilder(URI.create(authorize)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = atProvider.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> back = send(callback, stateCookie);
        // Then
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location")).hasValue("/");
        String session = cookie(back, AuthRoutes.COOKIE);
        HttpResponse<String> me = get("/api/me", session);
        assertThat(McpJson.parse(me.body()).path("reviewer").asText()).isEqualTo("alice");
        assertThat(McpJson.parse(me.body()).path("tenants").asText()).isEqualTo("tenant-a");
        List<String> listed = new ArrayList<>();
        McpJson.parse(get("/api/reviews", session).body()).path("items")
                .forEach(item -> listed.add(item.path("requestId").asText()));
        assertThat(listed).containsExactly("req-a");
    }

    @Test
    void givenACallbackInABrowserThatDidNotStartTheSignIn_whenItArrives_thenItIsRefusedAndNobodyIsSignedIn()
            throws Exception {
        issuer.signInAs(Map.of("sub", "u-1001", "preferred_username", "alice", "sampling_tenants", "tenant-a"));
        String authorize = get("/api/oidc/login", null).headers().firstValue("Location").orElseThrow();
        String callback = http.send(HttpRequest.newBuilder(URI.create(authorize)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();

        HttpResponse<String> elsewhere = send(callback, null);

        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("sign_in_expired");
        assertThat(elsewhere.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(AuthRoutes.COOKIE + "="));
    }

    @Test
    void givenAPersonWithoutTenants_whenTheySignIn_thenTheyAreRefusedAsNoReviewer() throws Exception {
        issuer.signInAs(Map.of("sub", "u-2002", "preferred_username", "mallory"));
        HttpResponse<String> login = get("/api/oidc/login", null);
        String callback = http.send(HttpRequest.newBuilder(URI.create(login.headers().firstValue("Location")
                .orElseThrow())).GET().build(), HttpResponse.BodyHandlers.ofString()).headers()
                .firstValue("Location").orElseThrow();

        HttpResponse<String> back = send(callback, cookie(login, OidcSignIn.STATE_COOKIE));

        assertThat(back.statusCode()).isEqualTo(403);
        assertThat(back.body()).contains("sign_in_refused").contains("mallory is not a reviewer of any tenant");
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        return send(base + path, cookie);
    }

    private HttpResponse<String> send(String url, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers()));
    }

    private static io.samplingbroker.events.ReviewItem item(String requestId, String tenant) {
        return ReviewItems.pending(Requests.request(requestId).tenant(tenant).requestedAt(Instant.now())
                .deadlineAfter(Duration.ofMinutes(5)));
    }
}
