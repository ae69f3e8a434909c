package io.samplingbroker.modelworker.catalogue;

/** No model of the catalogue can serve the request (a policy forced a model the catalogue does not have). */
public final class NoModelMatchesException extends RuntimeException {

    public NoModelMatchesException(String message) {
        super(message);
    }
}
