package io.samplingbroker.broker.upstream;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.gateway.McpHeaders;
import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Calls;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * A 2026-07-28 server over Streamable HTTP: no session, one POST per request, the headers the body implies
 * ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}). The answer is a JSON body or an SSE stream whose
 * notifications are passed on before the response. One connection pool per configured server, shared by every host.
 */
public final class SessionlessServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionlessServer.class);
    /** Enough parallel calls for many hosts; more wait in the pool's queue. */
    private static final int POOL_SIZE = 64;

    private final Vertx vertx;
    private final UpstreamSpec.Http spec;
    private final HttpClient client;

    public SessionlessServer(Vertx vertx, UpstreamSpec.Http spec) {
        this.vertx = vertx;
        this.spec = spec;
        this.client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(POOL_SIZE));
    }

    public String name() {
        return spec.name();
    }

    /**
     * The server's answer and the HTTP status it came with: a 2026-07-28 server says with the status what kind of
     * error it is (400 for a bad envelope or header, 404 for an unknown method, 200 for a handler's error), and the
     * host must hear the same.
     */
    public record Answer(JsonRpcMessage message, int status) {
    }

    /**
     * Sends one request; completes with its response (always, never exceptionally: a transport failure or an HTTP
     * error becomes a JSON-RPC error with the request's id, keeping the server's own error when it sent one).
     */
    public CompletionStage<Answer> send(JsonRpcMessage request, Map<String, String> headers,
            Consumer<JsonRpcMessage> notifications) {
        return exchange(request, headers, notifications)
                .exceptionally(failure -> new Answer(failed(request, failure.getMessage()), 502));
    }

    /**
     * Sends one request; completes with the server's response, including a JSON-RPC error it sent with an HTTP error
     * status, or exceptionally with an {@link UpstreamException} when it could not be reached or answered no JSON-RPC.
     */
    public CompletionStage<Answer> exchange(JsonRpcMessage request, Map<String, String> headers,
            Consumer<JsonRpcMessage> notifications) {
        CompletableFuture<Answer> answered = new CompletableFuture<>();
        RequestOptions options = options(request);
        headers.forEach(options::putHeader);
        OnVertxContext.run(vertx, () -> client.request(options)
                .compose(http -> http.send(Buffer.buffer(request.text())))
                .onSuccess(response -> read(request, response, notifications, answered))
                .onFailure(failure -> answered.completeExceptionally(new UpstreamException("unreachable: "
                        + failure.getMessage()))));
        return answered;
    }

    /**
     * Whether the server also keeps 2025-era sessions: its {@code initialize} answer carries an
     * {@code Mcp-Session-Id} (the probe session is deleted at once). A server that serves 2025 clients only per
     * request, without a session, cannot send them requests, so 2025 hosts are bridged to its 2026 side instead.
     */
    public CompletionStage<Boolean> opensSessions() {
        JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", "sampling-broker-probe")
                .put("method", "initialize").put("params", new JsonObject().put("protocolVersion", ProtocolVersions.LEGACY)
                        .put("capabilities", new JsonObject())
                        .put("clientInfo", new JsonObject().put("name", "sampling-broker").put("version", "0.2")));
        RequestOptions options = new RequestOptions().setAbsoluteURI(spec.url().toString()).setMethod(HttpMethod.POST)
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json, text/event-stream");
        spec.headers().forEach(options::putHeader);
        CompletableFuture<Boolean> sessions = new CompletableFuture<>();
        client.request(options).compose(http -> http.send(Buffer.buffer(initialize.encode()))).onSuccess(response -> {
            String session = response.getHeader(McpHeaders.SESSION_ID);
            response.body();
            if (session == null || response.statusCode() != 200) {
                sessions.complete(false);
                return;
            }
            RequestOptions delete = new RequestOptions().setAbsoluteURI(spec.url().toString())
                    .setMethod(HttpMethod.DELETE).putHeader(McpHeaders.SESSION_ID, session);
            spec.headers().forEach(delete::putHeader);
            client.request(delete).compose(http -> http.send()).compose(HttpClientResponse::body)
                    .onComplete(deleted -> sessions.complete(true));
        }).onFailure(failure -> sessions.complete(false));
        return sessions;
    }

    private void read(JsonRpcMessage request, HttpClientResponse response, Consumer<JsonRpcMessage> notifications,
            CompletableFuture<Answer> answered) {
        int status = response.statusCode();
        String contentType = String.valueOf(response.getHeader("Content-Type"));
        if (status >= 200 && status < 300 && contentType.startsWith("text/event-stream")) {
            AtomicBoolean droppedOversized = new AtomicBoolean();
            SseParser parser = new SseParser(data -> {
                if (data.isBlank()) {
                    return; // a priming event or a keep-alive
                }
                JsonRpcMessage message = parse(data);
                if (message == null) {
                    return;
                }
                if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
                    answered.complete(new Answer(message, status));
                } else {
                    notifications.accept(message);
                }
            }, () -> droppedOversized.set(true));
            response.handler(chunk -> parser.feed(chunk.getBytes()));
            response.endHandler(end -> answered.completeExceptionally(new UpstreamException(droppedOversized.get()
                    ? "the answer stream carried an event of more than " + SseParser.MAX_EVENT_CHARS
                            + " characters (dropped) and no other response"
                    : "the answer stream ended without a response")));
            response.exceptionHandler(e -> answered.completeExceptionally(new UpstreamException(
                    "the answer stream failed: " + e)));
            return;
        }
        response.body().onComplete(body -> {
            String text = body.succeeded() ? body.result().toString() : "";
            JsonRpcMessage message = text.isBlank() ? null : parse(text);
            if (message != null && message.kind() == JsonRpcMessage.Kind.RESPONSE
                    && (status < 300 || message.json().containsKey("error"))) {
                // An HTTP error with a JSON-RPC error body keeps the server's code (-32020 stays -32020).
                answered.complete(new Answer(message, status));
            } else {
                answered.completeExceptionally(new UpstreamException("answered HTTP " + status
                        + (text.isBlank() ? "" : ": " + abbreviate(text))));
            }
        });
    }

    private JsonRpcMessage parse(String text) {
        try {
            return JsonRpcMessage.parse(text);
        } catch (InvalidJsonRpcException e) {
            LOG.warn("Server '{}' sent {} characters that are not JSON-RPC ({}); ignored", spec.name(), text.length(),
                    e.getMessage());
            return null;
        }
    }

    private JsonRpcMessage failed(JsonRpcMessage request, String reason) {
        if (reason == null) {
            reason = "failed";
        }
        LOG.warn("Server '{}', {} {}: {}", spec.name(), request.method(), request.idJson(), reason);
        return JsonRpc.error(request.idJson(), SamplingErrors.INTERNAL_ERROR, "Upstream server '" + spec.name() + "' "
                + reason, null);
    }

    private RequestOptions options(JsonRpcMessage request) {
        Envelope envelope = Envelope.of(request.params());
        RequestOptions options = new RequestOptions().setAbsoluteURI(spec.url().toString()).setMethod(HttpMethod.POST)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json, text/event-stream")
                .putHeader(McpHeaders.PROTOCOL_VERSION, envelope == null ? ProtocolVersions.CURRENT
                        : envelope.protocolVersion())
                .putHeader(McpHeaders.METHOD, request.method());
        String name = Calls.nameOf(request);
        if (name != null) {
            options.putHeader(McpHeaders.NAME, name);
        }
        spec.headers().forEach(options::putHeader);
        return options;
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    @Override
    public void close() {
        client.close();
    }
}
