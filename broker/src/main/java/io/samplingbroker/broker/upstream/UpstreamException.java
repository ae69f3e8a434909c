package io.samplingbroker.broker.upstream;

/** An upstream server could not be reached, or answered something that is not a JSON-RPC response. */
public final class UpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UpstreamException(String message) {
        super(message);
    }
}
