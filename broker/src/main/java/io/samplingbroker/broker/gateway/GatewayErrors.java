package io.samplingbroker.broker.gateway;

import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one place that maps gateway failures to HTTP statuses and JSON-RPC errors. Bodies are JSON-RPC error
 * objects, so MCP clients show a readable message; they answer the request's id whenever it is known.
 */
final class GatewayErrors {

    private GatewayErrors() {
    }

    /** A 4xx/5xx with a JSON-RPC error body answering {@code idJson} (null: the request could not be read). */
    static void http(HttpServerResponse response, int status, String idJson, String message) {
        int code = switch (status) {
            case 400, 401, 403, 404, 405, 413, 415 -> JsonRpc.INVALID_REQUEST;
            default -> SamplingErrors.INTERNAL_ERROR;
        };
        send(response, status, JsonRpc.error(idJson, code, message, null));
    }

    static void invalidMessage(HttpServerResponse response, InvalidJsonRpcException problem) {
        send(response, 400, problem.toResponse());
    }

    static void refused(HttpServerResponse response, JsonRpcMessage request, EnvelopeCheck.Refusal refusal) {
        send(response, refusal.status(), JsonRpc.error(request.idJson(), refusal.code(), refusal.message(),
                refusal.data() == null ? null : refusal.data().encode()));
    }

    /** The upstream server could not be started or reached for a new session. */
    static void upstreamUnavailable(HttpServerResponse response, JsonRpcMessage request, String server, Throwable failure) {
        send(response, 502, JsonRpc.error(request.idJson(), SamplingErrors.INTERNAL_ERROR, "Upstream server '" + server
                + "' unavailable: " + failure.getMessage(), null));
    }

    /** A host at a limit: 429 with {@code Retry-After}, the JSON-RPC error naming the setting. */
    static void limitReached(HttpServerResponse response, JsonRpcMessage request, HostQuotas.Refusal refusal) {
        limitReached(response, request, refusal, 429);
    }

    /** A limit of the whole gateway: {@code status} 429 (one host's) or 503 (the machine's). */
    static void limitReached(HttpServerResponse response, JsonRpcMessage request, HostQuotas.Refusal refusal,
            int status) {
        if (!response.headWritten()) {
            response.putHeader("Retry-After", Long.toString(refusal.retryAfter().toSeconds()));
        }
        send(response, status, JsonRpc.error(request.idJson(), SamplingErrors.LIMIT_REACHED, refusal.message(), null));
    }

    /** A message could not be relayed upstream: a request gets a JSON-RPC error on its stream, others a 502. */
    static void relayFailed(HttpServerResponse response, JsonRpcMessage message, Throwable failure) {
        String text = "Could not relay to the upstream server: " + failure.getMessage();
        if (message.kind() == JsonRpcMessage.Kind.REQUEST && response.headWritten()) {
            if (!response.ended()) {
                response.end(SseEvents.message(JsonRpc.error(message.idJson(), SamplingErrors.INTERNAL_ERROR, text,
                        null)));
            }
            return;
        }
        http(response, 502, message.idJson(), text);
    }

    private static void send(HttpServerResponse response, int status, JsonRpcMessage body) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.text());
    }
}
