package io.samplingbroker.schemas.json;

/**
 * The JSON of a sampling request or result does not follow the MCP schema. The message names the JSON pointer of the
 * offending member, so the broker can answer the server with JSON-RPC {@code -32602} (invalid params) and a useful
 * message.
 */
public final class InvalidSamplingJsonException extends IllegalArgumentException {

    private final String pointer;

    public InvalidSamplingJsonException(String pointer, String problem) {
        super((pointer.isEmpty() ? "/" : pointer) + ": " + problem);
        this.pointer = pointer;
    }

    /** JSON pointer (RFC 6901) of the member at fault, {@code ""} for the whole document. */
    public String pointer() {
        return pointer;
    }
}
