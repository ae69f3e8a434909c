package io.samplingbroker.broker.upstream;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.InputCall;

/** The broker's connection to one upstream MCP server, for one host session. */
public interface UpstreamConnection {

    /**
     * Connects. Messages the server sends arrive at {@code fromServer} (on any thread, in order); {@code onClosed}
     * is called once when the server goes away.
     */
    CompletionStage<Void> start(Consumer<JsonRpcMessage> fromServer, Consumer<String> onClosed);

    /** The protocol version negotiated with the server, when the connection knows it better than the session does. */
    default String serverProtocolVersion() {
        return null;
    }

    /** The call a server→client request belongs to, when it stands for an input request of a 2026-07-28 server. */
    default InputCall inputCall(String requestIdJson) {
        return null;
    }

    /** Sends one message to the server; completes once it is written or accepted. */
    CompletionStage<Void> send(JsonRpcMessage message);

    /**
     * Ends the upstream session (stops the process, or deletes the HTTP session) without blocking the caller;
     * completes when it has ended, so a stopping broker can wait for its children.
     */
    CompletionStage<Void> close();
}
