package io.samplingbroker.broker.upstream;

/** No upstream connection can be made now because the broker is at a configured limit: try again later (503). */
public final class UpstreamCapacityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UpstreamCapacityException(String message) {
        super(message);
    }
}
