package io.samplingbroker.serviceruntime.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a service's vital parts report that they died. The first report wins (later ones are logged only), and a
 * service that is closing stops listening, so a part that ends because of the close is not taken for a failure.
 */
public final class FailureSignal {

    private static final Logger LOG = LoggerFactory.getLogger(FailureSignal.class);

    private final String service;
    private final CompletableFuture<VitalPartFailure> failure = new CompletableFuture<>();
    private volatile boolean closing;

    public FailureSignal(String service) {
        this.service = service;
    }

    /** Reports that {@code part} died of {@code cause}. */
    public void fail(String part, Throwable cause) {
        if (closing) {
            return;
        }
        VitalPartFailure reported = new VitalPartFailure(part, cause);
        if (!failure.complete(reported)) {
            LOG.warn("{}: {} (after an earlier failure)", service, reported.getMessage());
        }
    }

    /** From now on, parts that end are stopping, not failing. */
    public void closing() {
        closing = true;
    }

    public CompletionStage<VitalPartFailure> failed() {
        return failure;
    }
}
