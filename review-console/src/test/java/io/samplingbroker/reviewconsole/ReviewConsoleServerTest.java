package io.samplingbroker.reviewconsole;

import static io.samplingbroker.reviewconsole.ConsoleClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;


/** Sign-in, sessions, CSRF and Origin checks, security headers and the page, over HTTP. */
class ReviewConsoleServerTest extends ConsoleServerTestBase {

    /** An ES module import of another page file, as the console's modules write them. */
    private static final Pattern RELATIVE_IMPORT = Pattern.compile("from '\\./([A-Za-z0-9_-]+\\.js)';");

    @Test
    void givenNoSession_whenTheApiIsCalled_then401Unauthenticated() throws Exception {
        // When
        HttpResponse<String> response = client.get("/api/reviews");
        // Then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("unauthenticated");
        assertThat(client.get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void givenTheRightPassword_whenSigningIn_thenAStrictHttpOnlyCookieAndACsrfTokenAreGiven() throws Exception {
        // When
        HttpResponse<String> response = client.login("alice", ALICE_PASSWORD);
        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("reviewer").asText()).isEqualTo("alice");
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("review_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/");
        assertThat(client.cookie.substring("review_session=".length())).hasSize(43); // 256 bits, base64url
        HttpResponse<String> me = client.get("/api/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me).get("csrfToken").asText()).isEqualTo(client.csrfToken);
    }

    @Test
    void givenAWrongPassword_whenSigningIn_then401InvalidCredentials() throws Exception {
        // When
        HttpResponse<String> wrong = client.login("alice", "not-her-password");
        HttpResponse<String> unknown = client.login("mallory", ALICE_PASSWORD);
        // Then
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("error").asText()).isEqualTo("invalid_credentials");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void givenFiveFailures_whenSigningInAgain_then429WithRetryAfterEvenWithTheRightPassword() throws Exception {
        // Given
        for (int i = 0; i < 5; i++) {
            assertThat(client.login("alice", "guess-" + i).statusCode()).isEqualTo(401);
        }
        // When
        HttpResponse<String> response = client.login("alice", ALICE_PASSWORD);
        // Then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(json(response).get("error").asText()).isEqualTo("too_many_attempts");
        assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
    }

    @Test
    void givenASession_whenPostingWithoutOrWithAWrongCsrfToken_then403() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        queue.put(ReviewItems.pending("req-1"));
        String approve = "{\"stage\": \"request\", \"action\": \"approve\"}";
        // When
        HttpResponse<String> without = client.send(client.withCookie(client.post("/api/reviews/req-1/decision",
                approve)).build());
        HttpResponse<String> wrong = client.send(client.withCookie(client.post("/api/reviews/req-1/decision",
                approve)).header("X-CSRF-Token", client.csrfToken + "x").build());
        // Then
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(json(without).get("error").asText()).isEqualTo("csrf_token_invalid");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(sent).isEmpty();
    }

    @Test
    void givenAForeignOrigin_whenPosting_then403OriginNotAllowed() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        queue.put(ReviewItems.pending("req-1"));
        // When
        HttpResponse<String> response = client.send(client.withCookie(client.post("/api/reviews/req-1/decision",
                "{\"stage\": \"request\", \"action\": \"approve\"}")).header("X-CSRF-Token", client.csrfToken)
                .header("Origin", "https://evil.example").build());
        // Then
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("error").asText()).isEqualTo("origin_not_allowed");
        assertThat(sent).isEmpty();
    }

    @Test
    void givenAnyResponse_whenServed_thenSecurityHeadersArePresentAndTheApiIsNotCached() throws Exception {
        // When
        HttpResponse<String> api = client.get("/api/reviews");
        HttpResponse<String> page = client.get("/");
        // Then
        for (HttpResponse<String> response : List.of(api, page)) {
            assertThat(response.headers().firstValue("Content-Security-Policy")).contains(
                    "default-src 'self'; img-src 'self' data:; media-src 'self' data:; style-src 'self'; "
                            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        }
        assertThat(api.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void givenThePage_whenRequested_thenIndexAndEveryScriptModuleComeFromTheClasspath() throws Exception {
        // When
        HttpResponse<String> index = client.get("/");
        Map<String, HttpResponse<String>> scripts = new LinkedHashMap<>();
        Deque<String> toFetch = new ArrayDeque<>(List.of("console-main.js"));
        while (!toFetch.isEmpty()) {
            String file = toFetch.removeFirst();
            if (scripts.containsKey(file)) {
                continue;
            }
            HttpResponse<String> script = client.get("/" + file);
            scripts.put(file, script);
            Matcher imported = RELATIVE_IMPORT.matcher(script.body());
            while (imported.find()) {
                toFetch.addLast(imported.group(1));
            }
        }
        HttpResponse<String> missing = client.get("/nothing.js");
        // Then
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(index.body()).contains("<script type=\"module\" src=\"/console-main.js\"");
        assertThat(scripts).containsOnlyKeys("console-main.js", "console-dom.js", "console-format.js",
                "console-state.js", "console-api.js", "console-session.js", "console-live.js", "console-queue.js",
                "console-detail.js", "console-editor.js", "console-decision.js", "console-overview.js",
                "console-keys.js");
        scripts.forEach((file, script) -> {
            assertThat(script.statusCode()).as(file).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).as(file).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("text/javascript"));
        });
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void givenASession_whenSigningOut_then204AndTheSessionIsGone() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        // When
        HttpResponse<String> response = client.postJson("/api/logout", "");
        // Then
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(client.get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void givenABodyOverTheLimit_whenPosted_then413() throws Exception {
        // Given
        client.login("alice", ALICE_PASSWORD);
        String huge = "{\"reason\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        // When
        HttpResponse<String> response = client.postJson("/api/reviews/req-1/decision", huge);
        // Then
        assertThat(response.statusCode()).isEqualTo(413);
    }
}
