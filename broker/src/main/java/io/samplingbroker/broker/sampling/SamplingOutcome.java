package io.samplingbroker.broker.sampling;

import java.util.Objects;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.events.SamplingContext;
import io.vertx.core.json.JsonObject;

/** What to do with the server's sampling request once its fate is known. */
public sealed interface SamplingOutcome {

    /**
     * Send {@code message} (a result or an error response) to the server.
     *
     * @param requestId the broker's request id
     * @param context the request's context (a refused request's too: its refusal is recorded), or null for a reply
     *     that is no request's (nothing is recorded when it is delivered)
     * @param errorCode the JSON-RPC error code sent, or null for a result
     * @param chain where the delivered event follows in the request's chain
     * @param trace the request's spans, which end once the reply is delivered
     */
    record Reply(String requestId, SamplingContext context, JsonRpcMessage message, Integer errorCode, ChainHead chain,
            RequestTrace trace) implements SamplingOutcome {

        /** A reply with no chain of its own to follow, and no trace. */
        public Reply(String requestId, SamplingContext context, JsonRpcMessage message, Integer errorCode) {
            this(requestId, context, message, errorCode, new ChainHead(), RequestTrace.NONE);
        }
    }

    /**
     * The policy forwards the request to the host that asked, which samples itself: send it {@link #request} in its
     * era, then hand its answer (or its silence) to {@link SamplingDispatcher#hostAnswered} or
     * {@link SamplingDispatcher#hostDidNotAnswer}, which record it and conclude the request like a model's answer.
     * Nothing is pending for it on this instance meanwhile: a 2026-07-28 host answers in a retry that any instance
     * may receive, so what that needs ({@link ForwardedRequest}) travels with it, sealed in the {@code requestState}.
     *
     * @param forwarded what recording the host's answer needs
     * @param paramsJson the params to send the host (the policy's effective params), MCP JSON text
     */
    record Forward(ForwardedRequest forwarded, String paramsJson) implements SamplingOutcome {

        public Forward {
            Objects.requireNonNull(forwarded, "forwarded");
            Objects.requireNonNull(paramsJson, "paramsJson");
        }

        public String requestId() {
            return forwarded.requestId();
        }

        /**
         * The {@code sampling/createMessage} request for the host, with the id the host must answer under. A task the
         * server asked for is the broker's to run, so the host gets the plain request.
         */
        public JsonRpcMessage request(String idJson) {
            return JsonRpc.request(idJson, "sampling/createMessage", hostParams().encode());
        }

        /** The params as the host gets them: without the server's {@code task}. */
        public JsonObject hostParams() {
            JsonObject params = new JsonObject(paramsJson);
            params.remove("task");
            return params;
        }
    }

    /**
     * Nothing is sent to the server: it cancelled the request (MCP says send nothing), or its session is gone or the
     * broker is stopping (nobody left to answer).
     */
    record NoReply(String requestId, String reason) implements SamplingOutcome {
    }
}
