package io.samplingbroker.broker.gateway;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.ProxySession;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/**
 * The host side of one Streamable HTTP session. Each host request is answered on its own SSE stream, which also
 * carries the server's requests and notifications while it is open; outside any request they go to the host's GET
 * stream, or wait (bounded) for one. All state is touched on the session's event loop only.
 */
final class HttpHostSession implements ProxySession.HostChannel {

    private static final Logger LOG = LoggerFactory.getLogger(HttpHostSession.class);
    static final int MAX_BUFFERED = 1_000;

    private final Context context;
    private final Map<String, HttpServerResponse> requestStreams = new LinkedHashMap<>();
    private final Deque<JsonRpcMessage> undelivered = new ArrayDeque<>();
    private HttpServerResponse serverStream;
    private ProxySession proxy;
    volatile long lastActivityNanos = System.nanoTime();

    HttpHostSession(Context context) {
        this.context = context;
    }

    void attach(ProxySession proxy) {
        this.proxy = proxy;
    }

    ProxySession proxy() {
        return proxy;
    }

    /** Opens the SSE stream that will carry the answer to the host request {@code idJson}. */
    void openRequestStream(String idJson, HttpServerResponse response, String sessionHeader) {
        touch();
        if (sessionHeader != null) {
            response.putHeader(McpHeaders.SESSION_ID, sessionHeader);
        }
        startSse(response);
        requestStreams.put(idJson, response);
        response.closeHandler(closed -> requestStreams.remove(idJson, response));
        flushUndelivered(response);
    }

    void openServerStream(HttpServerResponse response) {
        touch();
        if (serverStream != null && !serverStream.ended()) {
            serverStream.end();
        }
        startSse(response);
        serverStream = response;
        response.closeHandler(closed -> {
            if (serverStream == response) {
                serverStream = null;
            }
        });
        flushUndelivered(response);
    }

    @Override
    public void send(JsonRpcMessage message) {
        context.runOnContext(ignored -> deliver(message));
    }

    private void deliver(JsonRpcMessage message) {
        touch();
        if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
            HttpServerResponse stream = requestStreams.remove(message.idJson());
            if (stream == null) {
                LOG.warn("Session {}: the host stopped waiting for the answer to request {}; answer not delivered",
                        proxy.sessionId(), message.idJson());
                return;
            }
            writeEvent(stream, message);
            stream.end();
            return;
        }
        HttpServerResponse target = latestRequestStream();
        if (target == null) {
            target = serverStream;
        }
        if (target == null) {
            if (undelivered.size() >= MAX_BUFFERED) {
                JsonRpcMessage dropped = undelivered.removeFirst();
                LOG.warn("Session {}: no open stream to the host for {} messages; dropped the oldest ({})",
                        proxy.sessionId(), MAX_BUFFERED, dropped.method());
            }
            undelivered.addLast(message);
            return;
        }
        writeEvent(target, message);
    }

    private HttpServerResponse latestRequestStream() {
        HttpServerResponse latest = null;
        for (HttpServerResponse stream : requestStreams.values()) {
            latest = stream;
        }
        return latest;
    }

    private void flushUndelivered(HttpServerResponse stream) {
        while (!undelivered.isEmpty()) {
            writeEvent(stream, undelivered.removeFirst());
        }
    }

    /** Ends every open stream: the session is over. */
    void endStreams() {
        context.runOnContext(ignored -> {
            requestStreams.values().forEach(stream -> {
                if (!stream.ended()) {
                    stream.end();
                }
            });
            requestStreams.clear();
            if (serverStream != null && !serverStream.ended()) {
                serverStream.end();
            }
            serverStream = null;
        });
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    private static void startSse(HttpServerResponse response) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        response.writeHead();
    }

    private static void writeEvent(HttpServerResponse stream, JsonRpcMessage message) {
        if (!stream.ended() && !stream.closed()) {
            stream.write(SseEvents.message(message));
        }
    }
}
