package io.samplingbroker.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A 2025-11-25 MCP host's session on the broker's gateway: {@code initialize} and {@code notifications/initialized},
 * which make the broker open its own session to the upstream server; {@link #close} ends both (DELETE). The host
 * names itself ({@code broker.auth.mode=none}, loopback only).
 */
public final class McpHostSession implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String url;
    private final String hostId;
    private final String sessionId;

    private McpHostSession(HttpClient http, String url, String hostId, String sessionId) {
        this.http = http;
        this.url = url;
        this.hostId = hostId;
        this.sessionId = sessionId;
    }

    /** Opens a session on the gateway at {@code url} ({@code .../mcp/<server>}) as host {@code hostId}. */
    public static McpHostSession open(String url, String hostId) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + SamplingLoadServer.PROTOCOL_VERSION + "\",\"capabilities\":{\"sampling\":{}},\"clientInfo\":"
                + "{\"name\":\"fault-load-host\",\"version\":\"1\"}}}";
        HttpResponse<String> initialized = http.send(post(url, hostId, null, init), HttpResponse.BodyHandlers.ofString());
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElse(null);
        if (initialized.statusCode() != 200 || session == null || !initialized.body().contains("protocolVersion")) {
            throw new IOException("initialize on " + url + " answered HTTP " + initialized.statusCode() + " "
                    + abbreviate(initialized.body()));
        }
        HttpResponse<String> notified = http.send(post(url, hostId, session,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), HttpResponse.BodyHandlers.ofString());
        if (notified.statusCode() != 202) {
            throw new IOException("notifications/initialized on " + url + " answered HTTP " + notified.statusCode());
        }
        return new McpHostSession(http, url, hostId, session);
    }

    private static HttpRequest post(String url, String hostId, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("X-Sampling-Host-Id", hostId).POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("Mcp-Protocol-Version",
                    SamplingLoadServer.PROTOCOL_VERSION);
        }
        return request.build();
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    public String sessionId() {
        return sessionId;
    }

    /** Ends the session; a gateway that is gone already is not an error. */
    @Override
    public void close() {
        try {
            http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Mcp-Session-Id", sessionId).header("X-Sampling-Host-Id", hostId).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException gone) {
            // the gateway died with the session
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
