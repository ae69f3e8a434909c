package io.samplingbroker.benchmark;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The upstream MCP server the broker connects to: just enough Streamable HTTP. {@code initialize} gets a JSON
 * result and an {@code Mcp-Session-Id}; notifications get 202; {@code GET} opens the SSE stream on which the
 * benchmark sends {@code sampling/createMessage}; the broker's POSTed responses get 202 and complete the request
 * in the current {@link InFlight}.
 */
public final class McpUpstreamServer implements AutoCloseable {

    public static final String PROTOCOL_VERSION = "2025-11-25";

    private final Vertx vertx;
    private final HttpServer server;
    private final String sessionId = UUID.randomUUID().toString();
    private final CompletableFuture<HttpServerResponse> stream = new CompletableFuture<>();
    private final AtomicLong backpressured = new AtomicLong();
    private volatile InFlight inFlight;

    private McpUpstreamServer(Vertx vertx) {
        this.vertx = vertx;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
    }

    /** Listens on a free loopback port. */
    public static McpUpstreamServer start(Vertx vertx) {
        McpUpstreamServer upstream = new McpUpstreamServer(vertx);
        upstream.server.listen(0, "127.0.0.1").await();
        return upstream;
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/mcp";
    }

    /** Where the answers of the next requests are recorded. */
    public void track(InFlight current) {
        this.inFlight = current;
    }

    /** Waits for the broker's GET stream (opened after the host's {@code notifications/initialized}). */
    public void awaitStream(long timeoutMillis) throws Exception {
        stream.get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Sends {@code sampling/createMessage} with id {@code id} on the GET stream. Callable from any thread. */
    public void sendSampling(long id, Prompts prompts) throws Exception {
        HttpServerResponse sse = stream.getNow(null);
        if (sse == null || sse.closed()) {
            throw new IllegalStateException("The broker's GET stream is not open");
        }
        if (sse.writeQueueFull()) {
            backpressured.incrementAndGet(); // the broker reads slower than we send; still bounded by InFlight
        }
        sse.write("event: message\ndata: " + prompts.request(id) + "\n\n");
    }

    /** How many sends found the stream's write queue full (the broker not keeping up with reading). */
    public long backpressured() {
        return backpressured.get();
    }

    private void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (request.method() == HttpMethod.GET) {
            response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
            response.writeHead();
            response.write(": open\n\n");
            stream.complete(response);
            return;
        }
        if (request.method() == HttpMethod.DELETE) {
            response.setStatusCode(200).end();
            return;
        }
        if (request.method() != HttpMethod.POST) {
            response.setStatusCode(405).end();
            return;
        }
        request.body().onSuccess(body -> onPost(body, response))
                .onFailure(failure -> response.setStatusCode(400).end());
    }

    private void onPost(Buffer body, HttpServerResponse response) {
        long now = System.nanoTime();
        JsonObject message = body.toJsonObject();
        String method = message.getString("method");
        if (method == null) {
            response.setStatusCode(202).end();
            InFlight current = inFlight;
            if (current != null && message.getValue("id") instanceof Number id) {
                current.complete(id.longValue(), message.containsKey("error"), now);
            }
            return;
        }
        if (!message.containsKey("id")) {
            response.setStatusCode(202).end();
            return;
        }
        JsonObject result = method.equals("initialize")
                ? new JsonObject().put("protocolVersion", PROTOCOL_VERSION).put("capabilities", new JsonObject())
                        .put("serverInfo", new JsonObject().put("name", "bench-upstream").put("version", "1"))
                : new JsonObject();
        response.putHeader("Content-Type", "application/json").putHeader("Mcp-Session-Id", sessionId)
                .end(new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id")).put("result", result)
                        .encode());
    }

    @Override
    public void close() {
        HttpServerResponse sse = stream.getNow(null);
        if (sse != null && !sse.ended()) {
            vertx.runOnContext(v -> {
                if (!sse.ended() && !sse.closed()) {
                    sse.end();
                }
            });
        }
        server.close().await();
    }
}
