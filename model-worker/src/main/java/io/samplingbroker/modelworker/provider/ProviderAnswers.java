package io.samplingbroker.modelworker.provider;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** How an SDK's response future becomes an attempt's answer, the same way for every HTTP provider. */
public final class ProviderAnswers {

    private ProviderAnswers() {
    }

    /**
     * Completes {@code answer} once {@code sent} does: with the mapped response, or with the failure the error (or an
     * unusable response) classifies as. An answer already completed (cancelled by the worker) stays as it is.
     */
    public static <R> void settle(CompletableFuture<R> sent, CompletableFuture<ProviderAnswer> answer,
            Function<R, ProviderAnswer> map, Function<Throwable, ProviderFailure> classify) {
        sent.whenComplete((response, error) -> {
            if (answer.isDone()) {
                return;
            }
            if (error != null) {
                answer.completeExceptionally(classify.apply(error));
                return;
            }
            try {
                answer.complete(map.apply(response));
            } catch (ProviderFailure bad) {
                answer.completeExceptionally(bad);
            }
        });
    }
}
