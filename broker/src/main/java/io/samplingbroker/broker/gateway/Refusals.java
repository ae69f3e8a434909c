package io.samplingbroker.broker.gateway;

import io.vertx.core.http.HttpServerResponse;

/** Writes a refusal (a 4xx or 5xx) in the shape of the API the request was for. */
@FunctionalInterface
public interface Refusals {

    /** The MCP endpoint's: a JSON-RPC error object. */
    Refusals JSON_RPC = (response, status, message) -> GatewayErrors.http(response, status, null, message);

    void send(HttpServerResponse response, int status, String message);
}
