package io.samplingbroker.broker.sampling;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.events.SamplingContext;

/** What to do with the server's sampling request once its fate is known. */
public sealed interface SamplingOutcome {

    /**
     * Send {@code message} (a result or an error response) to the server.
     *
     * @param requestId the broker's request id
     * @param context the request's context, or null when it was refused before being recorded (invalid params)
     * @param errorCode the JSON-RPC error code sent, or null for a result
     */
    record Reply(String requestId, SamplingContext context, JsonRpcMessage message, Integer errorCode, ChainHead chain)
            implements SamplingOutcome {

        /** A reply to a request that was never recorded (invalid params): nothing to chain to. */
        public Reply(String requestId, SamplingContext context, JsonRpcMessage message, Integer errorCode) {
            this(requestId, context, message, errorCode, new ChainHead());
        }
    }

    /**
     * Nothing is sent to the server: it cancelled the request (MCP says send nothing), or its session is gone or the
     * broker is stopping (nobody left to answer).
     */
    record NoReply(String requestId, String reason) implements SamplingOutcome {
    }
}
