package io.samplingbroker.broker.gateway;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/**
 * The answer to one sessionless request: plain {@code application/json}, unless the server sends notifications
 * (progress, logging) before its response and the host accepts a stream; then an SSE stream that carries them and
 * ends with the response. Safe to call from any thread: all writes happen on the request's context.
 */
final class CallReply {

    private final HttpServerResponse response;
    private final boolean streamAllowed;
    private final Context context;
    private boolean streaming;

    CallReply(HttpServerResponse response, String accept, Context context) {
        this.response = response;
        this.streamAllowed = accept.contains("text/event-stream");
        this.context = context;
    }

    /** A notification from the server for this call: streamed when the host accepts a stream, else left out. */
    void notify(JsonRpcMessage notification) {
        if (!streamAllowed) {
            return;
        }
        context.runOnContext(ignored -> {
            if (response.ended() || response.closed()) {
                return;
            }
            if (!streaming) {
                streaming = true;
                response.setChunked(true).putHeader("Content-Type", "text/event-stream")
                        .putHeader("Cache-Control", "no-cache");
            }
            response.write(SseEvents.message(notification));
        });
    }

    void finish(JsonRpcMessage message) {
        finish(message, 200);
    }

    /** The answer, with the HTTP status the server gave it (when no stream has started yet). */
    void finish(JsonRpcMessage message, int status) {
        context.runOnContext(ignored -> {
            if (response.ended() || response.closed()) {
                return;
            }
            if (streaming) {
                response.end(SseEvents.message(message));
            } else {
                response.setStatusCode(status).putHeader("Content-Type", "application/json").end(message.text());
            }
        });
    }
}
