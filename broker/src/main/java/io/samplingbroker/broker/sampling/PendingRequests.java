package io.samplingbroker.broker.sampling;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests waiting on this instance, found by request id (how a result names one) and by session and JSON-RPC id
 * (how a server's cancellation names one). Thread-safe.
 */
final class PendingRequests {

    private final Map<String, PendingRequest> byRequestId = new ConcurrentHashMap<>();
    private final Map<String, PendingRequest> bySessionKey = new ConcurrentHashMap<>();

    void add(PendingRequest request) {
        byRequestId.put(request.requestId(), request);
        bySessionKey.put(sessionKey(request.context.getSessionId(), request.context.getJsonRpcId()), request);
    }

    /** The request, or null if it is not (or no longer) pending here. */
    PendingRequest byRequestId(String requestId) {
        return byRequestId.get(requestId);
    }

    /** The request, or null if it is not (or no longer) pending here. */
    PendingRequest bySessionAndJsonRpcId(String sessionId, String jsonRpcIdJson) {
        return bySessionKey.get(sessionKey(sessionId, jsonRpcIdJson));
    }

    /** A scan: a session holds few pending requests, and sessions end far less often than requests do. */
    List<PendingRequest> ofSession(String sessionId) {
        return byRequestId.values().stream().filter(r -> r.context.getSessionId().equals(sessionId)).toList();
    }

    List<PendingRequest> all() {
        return List.copyOf(byRequestId.values());
    }

    int size() {
        return byRequestId.size();
    }

    /**
     * Removes the request. Results, deadlines, cancellations and session ends race to conclude a request; only the
     * one caller that gets true here may conclude it.
     */
    boolean remove(PendingRequest request) {
        if (!byRequestId.remove(request.requestId(), request)) {
            return false;
        }
        bySessionKey.remove(sessionKey(request.context.getSessionId(), request.context.getJsonRpcId()), request);
        return true;
    }

    private static String sessionKey(String sessionId, String jsonRpcIdJson) {
        return sessionId + "\u0000" + jsonRpcIdJson;
    }
}
