package io.samplingbroker.reviewconsole;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.schemas.json.McpJson;

/** A reviewer's browser, reduced to what the tests need: the session cookie and the CSRF token. */
final class ConsoleClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final int port;
    String cookie;
    String csrfToken;

    ConsoleClient(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.port = port;
    }

    /** The console's port, for a second client signed in as someone else. */
    int port() {
        return port;
    }

    HttpResponse<String> login(String reviewer, String password) throws IOException, InterruptedException {
        HttpResponse<String> response = send(post("/api/login", "{\"reviewer\": \"" + reviewer + "\", \"password\": \""
                + password + "\"}").build());
        if (response.statusCode() == 200) {
            cookie = response.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            csrfToken = json(response).get("csrfToken").asText();
        }
        return response;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(withCookie(HttpRequest.newBuilder(URI.create(base + path)).GET()).build());
    }

    /** A POST as the page sends it: cookie and CSRF token when signed in. */
    HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = withCookie(post(path, body));
        if (csrfToken != null) {
            request.header("X-CSRF-Token", csrfToken);
        }
        return send(request.build());
    }

    HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    HttpRequest.Builder withCookie(HttpRequest.Builder request) {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    <T> java.util.concurrent.CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return http.sendAsync(request, handler);
    }

    HttpRequest.Builder request(String path) {
        return withCookie(HttpRequest.newBuilder(URI.create(base + path)));
    }

    static JsonNode json(HttpResponse<String> response) {
        return McpJson.parse(response.body());
    }
}
