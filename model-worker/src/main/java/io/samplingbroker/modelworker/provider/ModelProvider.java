package io.samplingbroker.modelworker.provider;

import java.util.concurrent.CompletableFuture;

/**
 * A way to get a completion: one attempt per {@link #call}. Retries, deadlines and cancellation across attempts are
 * the {@link ProviderCallRunner}'s job.
 */
public interface ModelProvider extends AutoCloseable {

    /** The provider's name in the catalogue. */
    String name();

    /**
     * Starts one attempt without blocking. The future fails with a {@link ProviderFailure}; cancelling it aborts the
     * attempt where the transport allows (an HTTP call in flight is cancelled) and nothing is produced.
     */
    CompletableFuture<ProviderAnswer> call(ProviderCall call);

    @Override
    void close();
}
