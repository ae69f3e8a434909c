package io.samplingbroker.broker.jsonrpc;

/**
 * A message that is not JSON-RPC 2.0: answered with a parse or invalid-request error, never dropped silently. When
 * the message had an id that can be read, the error answers it.
 */
public final class InvalidJsonRpcException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String idJson;
    private final boolean request;

    InvalidJsonRpcException(int code, String message, String idJson, boolean request) {
        super(message);
        this.code = code;
        this.idJson = idJson;
        this.request = request;
    }

    /**
     * Whether the message was meant as a request (it has a method): its sender may wait for an answer, which answers
     * {@link #idJson()}, or null when the id could not be read (as JSON-RPC says).
     */
    public boolean wasRequest() {
        return request;
    }

    /** {@code -32700} when the text is not JSON, {@code -32600} when it is JSON but not a JSON-RPC message. */
    public int code() {
        return code;
    }

    /** The id of the message as JSON text, when it had a valid one; else null (the error's id is then null). */
    public String idJson() {
        return idJson;
    }

    /** The error response that answers the message. */
    public JsonRpcMessage toResponse() {
        return JsonRpc.error(idJson, code, "Invalid JSON-RPC message: " + getMessage(), null);
    }
}
