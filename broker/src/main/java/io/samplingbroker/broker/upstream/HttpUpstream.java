package io.samplingbroker.broker.upstream;

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
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * An MCP server reached over Streamable HTTP: each message is a POST; the server answers 202, a JSON body, or an
 * SSE stream of messages; server-initiated messages also arrive on a GET stream opened after initialization. The
 * upstream session id and protocol version are tracked here, per host session.
 */
public final class HttpUpstream implements UpstreamConnection {

    private static final Logger LOG = LoggerFactory.getLogger(HttpUpstream.class);

    private final UpstreamSpec.Http spec;
    private final HttpClient client;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Consumer<JsonRpcMessage> fromServer;
    private Consumer<String> onClosed;
    private volatile String sessionId;
    private volatile String protocolVersion;

    public HttpUpstream(Vertx vertx, UpstreamSpec.Http spec) {
        this.spec = spec;
        this.client = vertx.createHttpClient();
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
        client.request(options(HttpMethod.POST)
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
                });
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
            response.body().onComplete(body -> answerFailedRequest(sent, "Upstream server '" + spec.name()
                    + "' answered HTTP " + status + (body.succeeded() ? ": " + abbreviate(body.result().toString()) : "")));
            return;
        }
        if (contentType.startsWith("text/event-stream")) {
            SseParser parser = new SseParser(this::deliver);
            response.handler(chunk -> parser.feed(chunk.getBytes()));
        } else {
            response.body().onSuccess(body -> {
                if (body.length() > 0) {
                    deliver(body.toString());
                }
            });
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
                    SseParser parser = new SseParser(this::deliver);
                    response.handler(chunk -> parser.feed(chunk.getBytes()));
                })
                .onFailure(failure -> LOG.debug("Upstream '{}' GET stream failed: {}", spec.name(), failure.toString()));
    }

    private void deliver(String text) {
        try {
            JsonRpcMessage message = JsonRpcMessage.parse(text);
            if (message.kind() == JsonRpcMessage.Kind.RESPONSE && message.json().getValue("result")
                    instanceof io.vertx.core.json.JsonObject result && result.containsKey("protocolVersion")
                    && protocolVersion == null) {
                protocolVersion = result.getString("protocolVersion");
            }
            fromServer.accept(message);
        } catch (InvalidJsonRpcException e) {
            LOG.warn("Upstream server '{}' sent {} characters that are not JSON-RPC ({}); not relayed", spec.name(),
                    text.length(), e.getMessage());
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
