package io.samplingbroker.broker.upstream;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.schemas.SamplingErrors;

/**
 * What a server sends that is not JSON-RPC is never dropped in silence when someone waits for it: a broken request
 * whose id can be read is answered to the server with {@code -32700} or {@code -32600} (so it does not wait for its
 * own timeout); a broken response whose id can be read answers the host's request with {@code -32603}.
 */
final class BrokenServerMessages {

    private static final Logger LOG = LoggerFactory.getLogger(BrokenServerMessages.class);

    private BrokenServerMessages() {
    }

    static void answer(String server, int length, InvalidJsonRpcException problem, Consumer<JsonRpcMessage> toServer,
            Consumer<JsonRpcMessage> toHost) {
        if (problem.wasRequest()) {
            LOG.warn("Server '{}' sent an invalid request ({} characters, id {}): {}; answered {}", server, length,
                    problem.idJson(), problem.getMessage(), problem.code());
            toServer.accept(problem.toResponse());
        } else if (problem.idJson() != null) {
            LOG.warn("Server '{}' sent an invalid response ({} characters, id {}): {}; the host gets an error", server,
                    length, problem.idJson(), problem.getMessage());
            toHost.accept(JsonRpc.error(problem.idJson(), SamplingErrors.INTERNAL_ERROR, "Upstream server '" + server
                    + "' sent an invalid response: " + problem.getMessage(), null));
        } else {
            LOG.warn("Server '{}' sent {} characters that are not JSON-RPC and name no id ({}); nobody to answer",
                    server, length, problem.getMessage());
        }
    }
}
