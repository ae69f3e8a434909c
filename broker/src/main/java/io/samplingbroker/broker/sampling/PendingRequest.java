package io.samplingbroker.broker.sampling;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import io.samplingbroker.events.SamplingContext;

/** A sampling request waiting for its outcome on this broker instance. */
final class PendingRequest {

    final SamplingContext context;
    final CompletableFuture<SamplingOutcome> outcome = new CompletableFuture<>();
    final ChainHead chain = new ChainHead();
    volatile ScheduledFuture<?> expiry;

    PendingRequest(SamplingContext context) {
        this.context = context;
    }

    /** Session id and JSON-RPC id: how a server's cancellation names the request. */
    String sessionKey() {
        return key(context.getSessionId(), context.getJsonRpcId());
    }

    static String key(String sessionId, String jsonRpcIdJson) {
        return sessionId + "\u0000" + jsonRpcIdJson;
    }
}
