package io.samplingbroker.broker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.testsupport.TestIssuer;

/**
 * A gateway whose hosts authenticate with a {@link TestIssuer}'s tokens, and hosts that speak raw Streamable HTTP to
 * it: for what an SDK host would not send (no token, a forged one, another host's session id, a flood).
 */
final class BearerHosts {

    /** The gateway's resource URL: server {@code everything} is {@code https://broker.test/mcp/everything}. */
    static final String RESOURCE = "https://broker.test";
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BearerHosts() {
    }

    /** Loopback gateway settings with hosts authenticating by {@code issuer}'s tokens. */
    static GatewaySettings gateway(TestIssuer issuer) {
        return GatewaySettings.loopback().withAuth(HostAuthSettings.oauth(issuer.issuer(), issuer.jwksUrl(),
                URI.create(RESOURCE)));
    }

    /** A POST of {@code body} with the bearer {@code token} and the {@code sessionId} (each null: not sent). */
    static HttpRequest post(String url, String token, String sessionId, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (sessionId != null) {
            request.header("Mcp-Session-Id", sessionId);
        }
        return request.build();
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request to " + request.uri() + " failed", e);
        }
    }

    static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
