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
 * stream, or wait (bounded) for one. Every event has an id, and a request stream starts with a priming event (an id
 * and no data, MCP 2025-11-25), so a host whose stream broke resumes it with {@code GET} and {@code Last-Event-ID}:
 * it gets what it missed on that stream from a bounded history, and the answer still to come. All state is touched
 * on the session's event loop only.
 */
final class HttpHostSession implements ProxySession.HostChannel {

    private static final Logger LOG = LoggerFactory.getLogger(HttpHostSession.class);
    static final int MAX_BUFFERED = 1_000;
    /** Events kept for hosts that resume a stream. */
    static final int HISTORY = 1_000;
    /** How soon a host should reconnect a broken stream. */
    static final long RETRY_MS = 1_000;
    private static final String SERVER_STREAM = "GET";

    /** An event as sent (or meant) on a stream: what a resumed stream replays. */
    private record Event(long id, String stream, JsonRpcMessage message) {
    }

    private final Context context;
    private final String owner;
    private final Map<String, HttpServerResponse> requestStreams = new LinkedHashMap<>();
    private final Deque<JsonRpcMessage> undelivered = new ArrayDeque<>();
    private final Deque<Event> history = new ArrayDeque<>();
    /** Request streams a host resumed on a GET after the POST broke, by the request's id. */
    private final Map<String, HttpServerResponse> resumedStreams = new LinkedHashMap<>();
    private long lastEventId;
    private HttpServerResponse serverStream;
    private ProxySession proxy;
    volatile long lastActivityNanos = System.nanoTime();

    /**
     * @param owner the principal that opened it ({@code HostIdentity.ownerOf}: tenant and subject), or null when hosts
     *     are not authenticated
     */
    HttpHostSession(Context context, String owner) {
        this.context = context;
        this.owner = owner;
    }

    /** Who may use the session: the subject that opened it (null when hosts are not authenticated). */
    String owner() {
        return owner;
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
        response.write("id: " + (++lastEventId) + "\nretry: " + RETRY_MS + "\ndata: \n\n"); // priming
        history(new Event(lastEventId, idJson, null));
        requestStreams.put(idJson, response);
        response.closeHandler(closed -> requestStreams.remove(idJson, response));
        flushUndelivered(response, idJson);
    }

    /**
     * The host's GET: its stream for server messages outside any request, or, with {@code Last-Event-ID}, the
     * resumption of the stream that event was on.
     */
    void openServerStream(HttpServerResponse response, String resumeAfter) {
        touch();
        Event resumed = resumeAfter == null ? null : history.stream()
                .filter(event -> String.valueOf(event.id()).equals(resumeAfter)).findFirst().orElse(null);
        if (resumed != null && !resumed.stream().equals(SERVER_STREAM)) {
            resume(response, resumed);
            return;
        }
        if (serverStream != null && !serverStream.ended()) {
            serverStream.end();
        }
        startSse(response);
        if (resumed != null) {
            replayAfter(response, resumed);
        }
        serverStream = response;
        response.closeHandler(closed -> {
            if (serverStream == response) {
                serverStream = null;
            }
        });
        flushUndelivered(response, SERVER_STREAM);
    }

    /** A broken request stream continued on this GET: what it missed, then its answer when it comes. */
    private void resume(HttpServerResponse response, Event after) {
        startSse(response);
        String request = after.stream();
        LOG.debug("Session {}: the host resumed the stream of request {} after event {}", proxy.sessionId(), request,
                after.id());
        boolean answered = replayAfter(response, after);
        if (answered) {
            response.end();
            return;
        }
        requestStreams.remove(request);
        resumedStreams.put(request, response);
        response.closeHandler(closed -> resumedStreams.remove(request, response));
    }

    /** Replays the events of {@code after}'s stream that followed it; true when the request's answer was among them. */
    private boolean replayAfter(HttpServerResponse response, Event after) {
        boolean answered = false;
        for (Event event : history) {
            if (event.id() > after.id() && event.stream().equals(after.stream()) && event.message() != null) {
                writeEvent(response, event.id(), event.message());
                answered |= event.message().kind() == JsonRpcMessage.Kind.RESPONSE;
            }
        }
        return answered;
    }

    @Override
    public void send(JsonRpcMessage message) {
        context.runOnContext(ignored -> deliver(message));
    }

    private void deliver(JsonRpcMessage message) {
        touch();
        if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
            String request = message.idJson();
            long id = history(new Event(++lastEventId, request, message));
            HttpServerResponse stream = requestStreams.remove(request);
            if (stream == null) {
                stream = resumedStreams.remove(request);
            }
            if (stream == null) {
                LOG.info("Session {}: the answer to request {} is kept for the host to resume its stream (event {})",
                        proxy.sessionId(), request, id);
                return;
            }
            writeEvent(stream, id, message);
            stream.end();
            return;
        }
        String streamKey = latestRequestKey();
        HttpServerResponse target = streamKey == null ? serverStream : requestStreams.get(streamKey);
        if (target == null) {
            if (undelivered.size() >= MAX_BUFFERED) {
                JsonRpcMessage dropped = undelivered.removeFirst();
                LOG.warn("Session {}: no open stream to the host for {} messages; dropped the oldest ({})",
                        proxy.sessionId(), MAX_BUFFERED, dropped.method());
            }
            undelivered.addLast(message);
            return;
        }
        writeEvent(target, history(new Event(++lastEventId, streamKey == null ? SERVER_STREAM : streamKey, message)),
                message);
    }

    private String latestRequestKey() {
        String latest = null;
        for (String key : requestStreams.keySet()) {
            latest = key;
        }
        return latest;
    }

    private void flushUndelivered(HttpServerResponse stream, String streamKey) {
        while (!undelivered.isEmpty()) {
            JsonRpcMessage message = undelivered.removeFirst();
            writeEvent(stream, history(new Event(++lastEventId, streamKey, message)), message);
        }
    }

    private long history(Event event) {
        if (history.size() >= HISTORY) {
            history.removeFirst();
        }
        history.addLast(event);
        return event.id();
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
            resumedStreams.values().forEach(stream -> {
                if (!stream.ended()) {
                    stream.end();
                }
            });
            resumedStreams.clear();
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

    private static void writeEvent(HttpServerResponse stream, long id, JsonRpcMessage message) {
        if (!stream.ended() && !stream.closed()) {
            stream.write("id: " + id + "\n" + SseEvents.message(message));
        }
    }
}
