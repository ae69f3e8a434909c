package io.samplingbroker.broker.gateway;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one place that maps gateway failures to HTTP statuses and JSON-RPC errors. Bodies are JSON-RPC error
 * objects, so MCP clients show a readable message.
 */
final class GatewayErrors {

    private GatewayErrors() {
    }

    /** A 4xx/5xx with a JSON-RPC error body (id null: the request could not be tied to one). */
    static void http(HttpServerResponse response, int status, String message) {
        int code = switch (status) {
            case 400, 403, 404, 405, 413, 415 -> JsonRpc.INVALID_REQUEST;
            default -> SamplingErrors.INTERNAL_ERROR;
        };
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(JsonRpc.error(null, code, message, null).text());
    }

    static void invalidMessage(HttpServerResponse response, String problem) {
        int code = problem.startsWith("not valid JSON") ? JsonRpc.PARSE_ERROR : JsonRpc.INVALID_REQUEST;
        response.setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(JsonRpc.error(null, code, "Invalid JSON-RPC message: " + problem, null).text());
    }

    /** The upstream server could not be started or reached for a new session. */
    static void upstreamUnavailable(HttpServerResponse response, JsonRpcMessage request, String server, Throwable failure) {
        response.setStatusCode(502).putHeader("Content-Type", "application/json")
                .end(JsonRpc.error(request.idJson(), SamplingErrors.INTERNAL_ERROR, "Upstream server '" + server
                        + "' unavailable: " + failure.getMessage(), null).text());
    }

    /** A message could not be relayed upstream: a request gets a JSON-RPC error on its stream, others a 502. */
    static void relayFailed(HttpServerResponse response, JsonRpcMessage message, Throwable failure) {
        String text = "Could not relay to the upstream server: " + failure.getMessage();
        if (message.kind() == JsonRpcMessage.Kind.REQUEST && response.headWritten()) {
            if (!response.ended()) {
                response.end("event: message\ndata: " + JsonRpc.error(message.idJson(), SamplingErrors.INTERNAL_ERROR,
                        text, null).text() + "\n\n");
            }
            return;
        }
        http(response, 502, text);
    }
}
