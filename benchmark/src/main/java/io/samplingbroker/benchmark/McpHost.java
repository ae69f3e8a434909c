package io.samplingbroker.benchmark;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** The MCP host side: initializes a session on the broker's gateway, which makes the broker connect upstream. */
public final class McpHost implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClient client;
    private final String url;
    private String sessionId;

    public McpHost(Vertx vertx, String url) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient();
        this.url = url;
    }

    /** {@code initialize} then {@code notifications/initialized}; returns the broker's session id. */
    public String connect() throws TimeoutException {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + McpUpstreamServer.PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":"
                + "{\"name\":\"bench-host\",\"version\":\"1\"}}}";
        Reply reply = post(init, null);
        if (reply.status() != 200 || !reply.body().contains("\"protocolVersion\"")) {
            throw new IllegalStateException("initialize failed: HTTP " + reply.status() + " (" + reply.contentType()
                    + ") " + abbreviate(reply.body()));
        }
        sessionId = reply.sessionId();
        if (sessionId == null) {
            throw new IllegalStateException("initialize answered without Mcp-Session-Id");
        }
        Reply initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", sessionId);
        if (initialized.status() != 202) {
            throw new IllegalStateException("notifications/initialized answered HTTP " + initialized.status());
        }
        return sessionId;
    }

    /** An answer read whole. */
    private record Reply(int status, String contentType, String sessionId, String body) {
    }

    /** POSTs and reads the whole answer (on an event loop: {@link OnEventLoop}). */
    private Reply post(String body, String session) throws TimeoutException {
        RequestOptions options = new RequestOptions().setAbsoluteURI(url).setMethod(HttpMethod.POST)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json, text/event-stream");
        if (session != null) {
            options.putHeader("Mcp-Session-Id", session).putHeader("Mcp-Protocol-Version",
                    McpUpstreamServer.PROTOCOL_VERSION);
        }
        return OnEventLoop.run(vertx, () -> client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(content -> new Reply(response.statusCode(),
                        response.getHeader("Content-Type"), response.getHeader("Mcp-Session-Id"),
                        content.toString())))).await(30, TimeUnit.SECONDS);
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Ends the session (DELETE), which also ends the broker's upstream session. */
    @Override
    public void close() {
        try {
            if (sessionId != null) {
                client.request(new RequestOptions().setAbsoluteURI(url).setMethod(HttpMethod.DELETE)
                        .putHeader("Mcp-Session-Id", sessionId))
                        .compose(request -> request.send()).compose(HttpClientResponse::body)
                        .await(5, TimeUnit.SECONDS);
            }
        } catch (RuntimeException | TimeoutException e) {
            System.err.println("Ending the host session failed: " + e);
        } finally {
            try {
                client.close().await(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                System.err.println("Closing the host's HTTP client timed out");
            }
        }
    }
}
