package io.samplingbroker.broker.upstream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.broker.gateway.McpHeaders;
import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * An MCP server reached over Streamable HTTP: each message is a POST; the server answers 202, a JSON body, or an
 * SSE stream of messages; server-initiated messages also arrive on a GET stream opened after initialization. The
 * upstream session id and protocol version are tracked here, per host session.
 */
public final class HttpUpstream implements UpstreamConnection {

    private static final Logger LOG = LoggerFactory.getLogger(HttpUpstream.class);

    /** How often one answer stream is resumed before the request is answered with an error. */
    static final int MAX_RESUMES = 30;
    /** The reconnection delay when the server names none (SSE leaves it to the client). */
    static final long DEFAULT_RETRY_MS = 1_000;
    static final long LONGEST_RETRY_MS = 30_000;
    /**
     * Connections for one host session's requests and its GET stream. A call whose answer streams back holds its
     * connection while the server works (and samples); the replies that let it finish go on the server's shared
     * replies client instead, so calls beyond this many wait for a connection but never for themselves.
     */
    static final int CALL_CONNECTIONS = 16;

    private final Vertx vertx;
    private final UpstreamSpec.Http spec;
    private final HttpClient client;
    private final HttpClient replies;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Consumer<JsonRpcMessage> fromServer;
    private Consumer<String> onClosed;
    private volatile String sessionId;
    private volatile String protocolVersion;

    /**
     * @param replies the client for this server's responses and notifications, shared by its sessions (see
     *     {@link Upstreams}); not closed here
     */
    public HttpUpstream(Vertx vertx, UpstreamSpec.Http spec, HttpClient replies) {
        this.vertx = vertx;
        this.spec = spec;
        this.client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(CALL_CONNECTIONS));
        this.replies = replies;
    }

    @Override
    public CompletionStage<Void> start(Consumer<JsonRpcMessage> fromServer, Consumer<String> onClosed) {
        this.fromServer = fromServer;
        this.onClosed = onClosed;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> send(JsonRpcMessage message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        // A server answers a response or a notification at once (202): those never wait behind a streaming call.
        HttpClient via = message.kind() == JsonRpcMessage.Kind.REQUEST ? client : replies;
        OnVertxContext.run(vertx, () -> via.request(options(HttpMethod.POST)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Accept", "application/json, text/event-stream"))
                .compose(request -> request.send(Buffer.buffer(message.text())))
                .onSuccess(response -> {
                    sent.complete(null);
                    handleResponse(message, response);
                })
                .onFailure(failure -> {
                    sent.completeExceptionally(failure);
                    answerFailedRequest(message, "Upstream server '" + spec.name() + "' unreachable: " + failure.getMessage());
                }));
        return sent;
    }

    private void handleResponse(JsonRpcMessage sent, HttpClientResponse response) {
        String session = response.getHeader(McpHeaders.SESSION_ID);
        if (session != null && sessionId == null) {
            sessionId = session;
        }
        int status = response.statusCode();
        String contentType = String.valueOf(response.getHeader("Content-Type"));
        if (status == 202) {
            response.body();
            if (sent.isNotification("notifications/initialized")) {
                openServerStream();
            }
            return;
        }
        if (status == 404 && sessionId != null) {
            response.body();
            shutDown("upstream session expired (HTTP 404)");
            return;
        }
        if (status < 200 || status >= 300) {
            response.body().onComplete(body -> {
                String text = body.succeeded() ? body.result().toString() : "";
                JsonRpcMessage error = serverError(text);
                if (error != null && sent.kind() == JsonRpcMessage.Kind.REQUEST) {
                    // The server's own error keeps its meaning (-32020 stays -32020), answering the host's id.
                    fromServer.accept(JsonRpc.error(sent.idJson(), error.json().getJsonObject("error").getInteger("code"),
                            error.json().getJsonObject("error").getString("message"), dataOf(error)));
                    return;
                }
                answerFailedRequest(sent, "Upstream server '" + spec.name() + "' answered HTTP " + status
                        + (text.isEmpty() ? "" : ": " + abbreviate(text)));
            });
            return;
        }
        if (contentType.startsWith("text/event-stream")) {
            new AnswerStream(sent).read(response);
        } else {
            response.body().onSuccess(body -> {
                if (body.length() > 0) {
                    deliver(body.toString());
                }
            });
        }
    }

    /**
     * The SSE stream that carries the answer to one request. A server may end it before answering, after an event
     * with an id (a priming event, MCP 2025-11-25), and keep the answer for replay: the stream is then resumed with
     * {@code GET} and {@code Last-Event-ID} after the server's {@code retry}, as often as it takes (bounded). A stream
     * that ends unanswered with nothing to resume from answers the host with an error instead of leaving it waiting.
     */
    private final class AnswerStream {

        private final JsonRpcMessage sent;
        private volatile boolean answered;
        private volatile boolean droppedOversized;
        private String lastEventId;
        private Long retryMillis;
        private int resumes;

        AnswerStream(JsonRpcMessage sent) {
            this.sent = sent;
        }

        void read(HttpClientResponse response) {
            SseParser parser = new SseParser(data -> {
                JsonRpcMessage message = deliver(data);
                if (message != null && message.kind() == JsonRpcMessage.Kind.RESPONSE
                        && message.idJson().equals(sent.idJson())) {
                    answered = true;
                }
            }, () -> droppedOversized = true);
            response.handler(chunk -> parser.feed(chunk.getBytes()));
            response.exceptionHandler(failure -> LOG.debug("Answer stream of {} from '{}' failed: {}", sent.idJson(),
                    spec.name(), failure.toString()));
            response.endHandler(end -> {
                if (parser.lastEventId() != null) {
                    lastEventId = parser.lastEventId();
                }
                if (parser.retryMillis() != null) {
                    retryMillis = parser.retryMillis();
                }
                ended();
            });
        }

        private void ended() {
            if (answered || closed.get() || sent.kind() != JsonRpcMessage.Kind.REQUEST) {
                return;
            }
            if (droppedOversized) {
                // most likely the answer itself; resuming would only replay it
                answerFailedRequest(sent, "Upstream server '" + spec.name() + "' sent an event of more than "
                        + SseParser.MAX_EVENT_CHARS + " characters on the answer stream (dropped) and no other answer");
                return;
            }
            if (lastEventId == null) {
                answerFailedRequest(sent, "Upstream server '" + spec.name() + "' ended the answer stream without"
                        + " answering and without an event id to resume from");
                return;
            }
            if (++resumes > MAX_RESUMES) {
                answerFailedRequest(sent, "Upstream server '" + spec.name() + "' did not answer after " + MAX_RESUMES
                        + " resumed streams");
                return;
            }
            long delay = Math.min(retryMillis == null ? DEFAULT_RETRY_MS : retryMillis, LONGEST_RETRY_MS);
            LOG.debug("Resuming the answer stream of {} from '{}' after event {} in {} ms", sent.idJson(), spec.name(),
                    lastEventId, delay);
            vertx.setTimer(Math.max(1, delay), timer -> client.request(options(HttpMethod.GET)
                            .putHeader("Accept", "text/event-stream").putHeader("Last-Event-ID", lastEventId))
                    .compose(request -> request.send())
                    .onSuccess(response -> {
                        if (response.statusCode() == 200) {
                            read(response);
                        } else {
                            response.body();
                            answerFailedRequest(sent, "Upstream server '" + spec.name() + "' refused to resume the"
                                    + " answer stream (HTTP " + response.statusCode() + ")");
                        }
                    })
                    .onFailure(failure -> answerFailedRequest(sent, "Upstream server '" + spec.name()
                            + "' could not be reached to resume the answer stream: " + failure.getMessage())));
        }
    }

    /** The standalone GET stream carries server-initiated messages outside any request; 405 means none. */
    private void openServerStream() {
        client.request(options(HttpMethod.GET).putHeader("Accept", "text/event-stream"))
                .compose(request -> request.send())
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        response.body();
                        LOG.debug("Upstream '{}' offers no GET stream (HTTP {})", spec.name(), response.statusCode());
                        return;
                    }
                    SseParser parser = new SseParser(this::deliver, () -> LOG.warn("Upstream '{}' sent an event of"
                            + " more than {} characters on its GET stream: dropped", spec.name(),
                            SseParser.MAX_EVENT_CHARS));
                    response.handler(chunk -> parser.feed(chunk.getBytes()));
                })
                .onFailure(failure -> LOG.debug("Upstream '{}' GET stream failed: {}", spec.name(), failure.toString()));
    }

    /** A JSON-RPC error response in an HTTP error's body, or null. */
    private static JsonRpcMessage serverError(String text) {
        try {
            JsonRpcMessage message = JsonRpcMessage.parse(text);
            return message.json().getValue("error") instanceof io.vertx.core.json.JsonObject error
                    && error.getValue("code") instanceof Integer && error.getValue("message") instanceof String
                    ? message : null;
        } catch (InvalidJsonRpcException e) {
            return null;
        }
    }

    private static String dataOf(JsonRpcMessage error) {
        Object data = error.json().getJsonObject("error").getValue("data");
        return data == null ? null : io.vertx.core.json.Json.encode(data);
    }

    /** Passes on one message from the server; returns it, or null when there was none or it was broken. */
    private JsonRpcMessage deliver(String text) {
        if (text.isBlank()) {
            return null; // an SSE event without data: a priming event (id and retry only) or a keep-alive
        }
        try {
            JsonRpcMessage message = JsonRpcMessage.parse(text);
            if (message.kind() == JsonRpcMessage.Kind.RESPONSE && message.json().getValue("result")
                    instanceof io.vertx.core.json.JsonObject result && result.containsKey("protocolVersion")
                    && protocolVersion == null) {
                protocolVersion = JsonMembers.string(result, "protocolVersion");
            }
            fromServer.accept(message);
            return message;
        } catch (InvalidJsonRpcException e) {
            BrokenServerMessages.answer(spec.name(), text.length(), e, this::send, fromServer);
            return null;
        }
    }

    /** A request the server never answered must still get an answer: the host would wait for ever. */
    private void answerFailedRequest(JsonRpcMessage sent, String reason) {
        LOG.warn(reason);
        if (sent.kind() == JsonRpcMessage.Kind.REQUEST) {
            fromServer.accept(JsonRpc.error(sent.idJson(), SamplingErrors.INTERNAL_ERROR, reason, null));
        }
    }

    private RequestOptions options(HttpMethod method) {
        RequestOptions options = new RequestOptions().setAbsoluteURI(spec.url().toString()).setMethod(method);
        spec.headers().forEach(options::putHeader);
        if (sessionId != null) {
            options.putHeader(McpHeaders.SESSION_ID, sessionId);
        }
        if (protocolVersion != null) {
            options.putHeader(McpHeaders.PROTOCOL_VERSION, protocolVersion);
        }
        return options;
    }

    private void shutDown(String reason) {
        if (closed.compareAndSet(false, true)) {
            onClosed.accept(reason);
            client.close();
        }
    }

    @Override
    public CompletionStage<Void> close() {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        if (!closed.compareAndSet(false, true)) {
            ended.complete(null);
            return ended;
        }
        Future<?> deleted = sessionId == null ? Future.succeededFuture()
                : client.request(options(HttpMethod.DELETE)).compose(request -> request.send())
                        .compose(HttpClientResponse::body);
        deleted.onComplete(done -> client.close().onComplete(closedClient -> ended.complete(null)));
        return ended;
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
