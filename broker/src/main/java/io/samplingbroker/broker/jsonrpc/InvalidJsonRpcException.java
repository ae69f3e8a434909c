package io.samplingbroker.broker.jsonrpc;

/** A message that is not JSON-RPC 2.0: answered with a parse or invalid-request error, never dropped silently. */
public final class InvalidJsonRpcException extends Exception {

    public InvalidJsonRpcException(String message) {
        super(message);
    }
}
