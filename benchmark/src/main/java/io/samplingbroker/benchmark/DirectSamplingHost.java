package io.samplingbroker.benchmark;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.samplingbroker.broker.upstream.SseParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * A host connected straight to the upstream server, answering {@code sampling/createMessage} itself (what VS Code
 * does): {@code initialize} and {@code notifications/initialized} over Streamable HTTP, the GET SSE stream, and for
 * each request the offline model's answer ({@link DirectAnswer}) POSTed back with the session headers, as the broker
 * posts its answers. No broker, no Kafka: the floor under MCP sampling itself.
 */
public final class DirectSamplingHost implements AutoCloseable {

    /**
     * Each answer holds a connection only for its loopback round trip (the server answers 202 at once), so a handful
     * would do at the fixed rates; 32 per host (the broker's shared replies pool per server) lets a pause (GC, JIT)
     * that piles answers up open more connections instead of queueing them behind Vert.x's default of 5, and 200
     * hosts together stay well within the process's file descriptors.
     */
    static final int POOL = 32;

    private final Vertx vertx;
    private final HttpClient client;
    private final String url;
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong failedPosts = new AtomicLong();
    private volatile String sessionId;
    private volatile String protocolVersion;

    public DirectSamplingHost(Vertx vertx, String url) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(POOL));
        this.url = url;
    }

    /**
     * Initializes the session and opens the GET stream; returns once the stream is open. Called from the benchmark's
     * main thread, never from an event loop: it waits.
     */
    public void connect() throws TimeoutException {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + McpUpstreamServer.PROTOCOL_VERSION + "\",\"capabilities\":{\"sampling\":{}},\"clientInfo\":"
                + "{\"name\":\"bench-direct-host\",\"version\":\"1\"}}}";
        Reply initializeReply = exchange(init);
        sessionId = initializeReply.sessionId();
        if (initializeReply.status() != 200 || sessionId == null) {
            throw new IllegalStateException("initialize failed: HTTP " + initializeReply.status() + ", session "
                    + sessionId + ": " + initializeReply.body());
        }
        // Later requests name the version the server chose, as the broker's HttpUpstream does.
        protocolVersion = new JsonObject(initializeReply.body()).getJsonObject("result").getString("protocolVersion");
        int initialized = exchange("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").status();
        if (initialized != 202) {
            throw new IllegalStateException("notifications/initialized answered HTTP " + initialized);
        }
        openStream().await(30, TimeUnit.SECONDS);
    }

    /** Events on the stream that were not JSON (none expected): they would be missing answers, so they are counted. */
    public long unreadable() {
        return unreadable.get();
    }

    /** Answers whose POST failed or was not accepted with 202. */
    public long failedPosts() {
        return failedPosts.get();
    }

    /**
     * The handlers are set in the response's own callback, on its event loop ({@link OnEventLoop}), so no chunk
     * arrives before them. Every event is answered on that event loop: pure CPU work of tens of microseconds, as the
     * broker also reads its upstream stream on one event loop; nothing there waits.
     */
    private Future<Void> openStream() {
        return OnEventLoop.run(vertx, () -> client.request(options(HttpMethod.GET)
                        .putHeader("Accept", "text/event-stream"))
                .compose(request -> request.send())
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        response.body();
                        return Future.failedFuture(new IllegalStateException("GET stream answered HTTP "
                                + response.statusCode()));
                    }
                    SseParser parser = new SseParser(this::answer, () -> unreadable.incrementAndGet());
                    response.handler(chunk -> parser.feed(chunk.getBytes()));
                    return Future.<Void>succeededFuture();
                }));
    }

    private void answer(String data) {
        if (data.isBlank()) {
            return; // an event without data: priming or keep-alive
        }
        String response;
        try {
            response = DirectAnswer.respond(data);
        } catch (RuntimeException e) {
            unreadable.incrementAndGet();
            return;
        }
        if (response == null) {
            return;
        }
        post(response).compose(reply -> reply.body().map(body -> reply.statusCode()))
                .onSuccess(status -> {
                    if (status != 202) {
                        failedPosts.incrementAndGet();
                    }
                })
                .onFailure(failure -> failedPosts.incrementAndGet());
    }

    /** One HTTP reply, read whole. */
    private record Reply(int status, String sessionId, String body) {
    }

    /** POSTs {@code body} and waits for the whole reply, read on an event loop ({@link OnEventLoop}). */
    private Reply exchange(String body) throws TimeoutException {
        return OnEventLoop.run(vertx, () -> post(body).compose(response -> response.body().map(content ->
                new Reply(response.statusCode(), response.getHeader("Mcp-Session-Id"), content.toString()))))
                .await(30, TimeUnit.SECONDS);
    }

    private Future<HttpClientResponse> post(String body) {
        RequestOptions options = options(HttpMethod.POST).putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json, text/event-stream");
        return client.request(options).compose(request -> request.send(Buffer.buffer(body)));
    }

    private RequestOptions options(HttpMethod method) {
        RequestOptions options = new RequestOptions().setAbsoluteURI(url).setMethod(method);
        if (sessionId != null) {
            options.putHeader("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            options.putHeader("MCP-Protocol-Version", protocolVersion);
        }
        return options;
    }

    /** Ends the session (DELETE), then the client. */
    @Override
    public void close() {
        try {
            if (sessionId != null) {
                client.request(options(HttpMethod.DELETE)).compose(request -> request.send())
                        .compose(HttpClientResponse::body).await(5, TimeUnit.SECONDS);
            }
        } catch (RuntimeException | TimeoutException e) {
            System.err.println("Ending the direct host's session failed: " + e);
        } finally {
            try {
                client.close().await(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                System.err.println("Closing the direct host's HTTP client timed out");
            }
        }
    }
}
