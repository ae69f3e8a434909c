package io.samplingbroker.broker.gateway;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;

/** JSON-RPC messages as server-sent events. */
final class SseEvents {

    private SseEvents() {
    }

    static String message(JsonRpcMessage message) {
        // A raw newline can only be JSON whitespace here; SSE needs each line of data prefixed.
        String data = message.text().replace("\r\n", "\n").replace("\n", "\ndata: ");
        return "event: message\ndata: " + data + "\n\n";
    }
}
