package io.samplingbroker.benchmark;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The upstream MCP server the broker connects to: just enough Streamable HTTP. Each {@code initialize} opens a
 * session (a JSON result and a new {@code Mcp-Session-Id}); notifications get 202; each session's {@code GET} opens
 * its SSE stream, and the benchmark sends {@code sampling/createMessage} on the streams in turn, so that the load is
 * spread evenly over the sessions; the broker's POSTed responses get 202 and complete the request in the current
 * {@link InFlight}.
 */
public final class McpUpstreamServer implements AutoCloseable {

    public static final String PROTOCOL_VERSION = "2025-11-25";

    private final Vertx vertx;
    private final HttpServer server;
    private final List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();
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

    /** Waits until {@code count} sessions have opened their GET stream (after their {@code notifications/initialized}). */
    public void awaitStreams(int count, long timeoutMillis) throws InterruptedException, TimeoutException {
        long until = System.nanoTime() + timeoutMillis * 1_000_000;
        while (streams.size() < count) {
            if (System.nanoTime() > until) {
                throw new TimeoutException(streams.size() + " of " + count + " GET streams opened");
            }
            Thread.sleep(10);
        }
    }

    /**
     * Sends {@code sampling/createMessage} with id {@code id} on the next session's GET stream (by id, so evenly).
     * Callable from any thread.
     */
    public void sendSampling(long id, Prompts prompts) {
        if (streams.isEmpty()) {
            throw new IllegalStateException("No GET stream of the broker's is open");
        }
        HttpServerResponse sse = streams.get((int) Math.floorMod(id, (long) streams.size()));
        if (sse.closed()) {
            throw new IllegalStateException("The broker closed a GET stream");
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
            streams.add(response);
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
        request.body().onSuccess(body -> onPost(request, body, response))
                .onFailure(failure -> response.setStatusCode(400).end());
    }

    private void onPost(HttpServerRequest request, Buffer body, HttpServerResponse response) {
        long now = System.nanoTime();
        JsonObject message = body.toJsonObject();
        String method = message.getString("method");
        if (method == null) {
            response.setStatusCode(202).end();
            InFlight current = inFlight;
            if (current != null && message.getValue("id") instanceof Number id) {
                current.complete(id.longValue(), answerOf(message), now);
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
        String session = method.equals("initialize") ? UUID.randomUUID().toString()
                : String.valueOf(request.getHeader("Mcp-Session-Id"));
        response.putHeader("Content-Type", "application/json").putHeader("Mcp-Session-Id", session)
                .end(new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id")).put("result", result)
                        .encode());
    }

    /** A result, an error, or the broker shedding load (-32004, "... overloaded ..."). */
    static InFlight.Answer answerOf(JsonObject response) {
        if (!(response.getValue("error") instanceof JsonObject error)) {
            return InFlight.Answer.RESULT;
        }
        boolean shed = Integer.valueOf(SamplingErrors.REQUEST_NOT_RECORDED).equals(error.getValue("code"))
                && String.valueOf(error.getValue("message")).contains("overloaded");
        return shed ? InFlight.Answer.SHED : InFlight.Answer.ERROR;
    }

    @Override
    public void close() {
        for (HttpServerResponse sse : streams) {
            vertx.runOnContext(v -> {
                if (!sse.ended() && !sse.closed()) {
                    sse.end();
                }
            });
        }
        server.close().await();
    }
}
