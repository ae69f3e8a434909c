package io.samplingbroker.audit.timeline;

import java.util.Locale;

/** How a request ended, as the audit names it; {@code --outcome} filters on these names. */
public enum Outcome {
    /** The model's answer was delivered as the rules approved it. */
    APPROVED,
    /** Delivered after a rule amended the request (capped tokens, forced model, ...). */
    AMENDED,
    /** Delivered after a reviewer edited the request or the response. */
    EDITED,
    /** Denied by a rule or a reviewer; the server got "User rejected sampling request". */
    DENIED,
    /** The model could not answer (SamplingFailed). */
    FAILED,
    /** A reviewer rejected the model's answer. */
    REJECTED,
    /** The broker refused the request before the pipeline (too large, invalid, over a limit, not writable). */
    REFUSED,
    /** Another JSON-RPC error was delivered. */
    ERROR,
    EXPIRED,
    CANCELLED,
    ABANDONED,
    /** No terminal event yet, and still within its deadline plus grace. */
    OPEN,
    /** No terminal event, and past its deadline plus grace: something was lost. */
    UNTERMINATED,
    /** Events without their SamplingRequested. */
    ORPHAN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
