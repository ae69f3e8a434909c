package io.samplingbroker.broker;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The sampling requests the broker sent to the host of one 2025-era session because the policy forwarded them: each
 * waits for the host's response (under an id of the broker's, {@code "sampling-broker-<request id>"}, so it cannot
 * collide with the server's ids) until the request's deadline. A deadline that passes, or a server that cancels, is
 * told to the host with {@code notifications/cancelled}, as MCP asks of a requester that gives up.
 */
final class HostForwards {

    /** Why a forwarded request ended without the host's answer: the server cancelled it, or the session ended. */
    static final class Ended extends RuntimeException {

        private final boolean byServer;

        Ended(boolean byServer, String reason) {
            super(reason, null, false, false);
            this.byServer = byServer;
        }

        boolean byServer() {
            return byServer;
        }
    }

    private record Asked(String serverIdJson, CompletableFuture<JsonRpcMessage> answer) {
    }

    private final ProxySession.HostChannel host;
    private final Map<String, Asked> byHostId = new ConcurrentHashMap<>();

    HostForwards(ProxySession.HostChannel host) {
        this.host = host;
    }

    /**
     * Sends the forwarded request to the host; completes with its response, or fails with a {@link TimeoutException}
     * at the deadline or an {@link Ended}.
     */
    CompletableFuture<JsonRpcMessage> ask(SamplingOutcome.Forward forward, String serverIdJson, Instant now) {
        String hostIdJson = Json.encode("sampling-broker-" + forward.requestId());
        CompletableFuture<JsonRpcMessage> answer = new CompletableFuture<>();
        byHostId.put(hostIdJson, new Asked(serverIdJson, answer));
        host.send(forward.request(hostIdJson));
        answer.orTimeout(Math.max(1, forward.forwarded().timeLeft(now).toMillis()), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    if (failure instanceof TimeoutException && byHostId.remove(hostIdJson) != null) {
                        host.send(cancelled(hostIdJson, "the sampling request's deadline passed"));
                    }
                });
        return answer;
    }

    /** The host's response to a forwarded request; false when the response answers something else. */
    boolean answer(JsonRpcMessage response) {
        Asked asked = byHostId.remove(response.idJson());
        if (asked == null) {
            return false;
        }
        asked.answer().complete(response);
        return true;
    }

    /** The server cancelled its request: if it was with the host, the host is told; false when it was not. */
    boolean cancelByServer(String serverIdJson, String reason) {
        for (Map.Entry<String, Asked> entry : byHostId.entrySet()) {
            if (entry.getValue().serverIdJson().equals(serverIdJson) && byHostId.remove(entry.getKey()) != null) {
                host.send(cancelled(entry.getKey(), reason));
                entry.getValue().answer().completeExceptionally(new Ended(true, reason));
                return true;
            }
        }
        return false;
    }

    /** The session ended: nothing the host sends now can reach the server. */
    void endAll(String reason) {
        for (String hostIdJson : byHostId.keySet()) {
            Asked asked = byHostId.remove(hostIdJson);
            if (asked != null) {
                asked.answer().completeExceptionally(new Ended(false, reason));
            }
        }
    }

    private static JsonRpcMessage cancelled(String hostIdJson, String reason) {
        return JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("method", ProxySession.CANCELLED)
                .put("params", new JsonObject().put("requestId", Json.decodeValue(hostIdJson)).put("reason", reason)));
    }
}
