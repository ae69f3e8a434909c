package io.samplingbroker.serviceruntime.service;

/** A part a service cannot work without has died: which part, and why. */
public final class VitalPartFailure extends RuntimeException {

    private final String part;

    public VitalPartFailure(String part, Throwable cause) {
        super(part + " stopped: " + (cause == null ? "no cause given" : cause.getMessage()), cause);
        this.part = part;
    }

    /** The part that died, as people call it ("answer reader", "decision application", ...). */
    public String part() {
        return part;
    }
}
