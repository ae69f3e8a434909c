package io.samplingbroker.schemas;

/**
 * The one place that names the JSON-RPC errors a server can receive for a sampling request. Every stage that
 * concludes a request with an error ({@code SamplingResolved.error}) uses these codes and messages.
 *
 * <p>MCP fixes two: {@code -1} for a user (or policy) rejection, and {@code -32602} for invalid params. The
 * broker's own failures use the JSON-RPC implementation-defined server error range (-32000 to -32099).
 */
public final class SamplingErrors {

    /** MCP: the user, a reviewer, or a policy rule standing in for them, rejected the request. */
    public static final int USER_REJECTED = -1;
    public static final String USER_REJECTED_MESSAGE = "User rejected sampling request";

    /** JSON-RPC: the params break the MCP schema (also: tool results missing or mixed with other content). */
    public static final int INVALID_PARAMS = -32602;
    /** JSON-RPC: the method is not handled here. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** JSON-RPC: an unexpected failure inside the broker. */
    public static final int INTERNAL_ERROR = -32603;

    /** The deadline passed before any stage produced an answer. */
    public static final int SAMPLING_EXPIRED = -32001;
    public static final String SAMPLING_EXPIRED_MESSAGE = "Sampling request expired before an answer";
    /** The model provider failed (after retries where they make sense). */
    public static final int SAMPLING_FAILED = -32002;
    public static final String SAMPLING_FAILED_MESSAGE = "Sampling failed";
    /** A reviewer rejected the model's response before delivery. */
    public static final int RESPONSE_REJECTED = -32003;
    public static final String RESPONSE_REJECTED_MESSAGE = "Sampling response rejected by reviewer";
    /**
     * The request could not be recorded on Kafka (Kafka or the schema registry unavailable), so it was not taken:
     * the server sees the sampling broker, the product, as unavailable.
     */
    public static final int REQUEST_NOT_RECORDED = -32004;
    public static final String REQUEST_NOT_RECORDED_MESSAGE = "Sampling broker unavailable";
    /**
     * The host (or the gateway as a whole) is at a configured limit: too many sessions, requests in flight or server
     * processes. Sent with HTTP 429 (503 for the machine's limit) and {@code Retry-After}; the message names the
     * setting.
     */
    public static final int LIMIT_REACHED = -32005;

    private SamplingErrors() {
    }
}
