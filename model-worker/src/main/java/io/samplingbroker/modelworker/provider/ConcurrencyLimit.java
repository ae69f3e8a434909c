package io.samplingbroker.modelworker.provider;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * At most {@code maxConcurrency} attempts in flight to one provider; more wait their turn, first come first served,
 * without holding a thread. Every provider gets it, whatever its SDK does (OkHttp's dispatcher bounds the OpenAI
 * path only; the Anthropic SDK has no bound of its own). Cancelling an attempt that still waits takes it out of the
 * queue; cancelling one in flight cancels the provider's call.
 */
final class ConcurrencyLimit implements ModelProvider {

    private final ModelProvider provider;
    private final int maxConcurrency;
    private final Deque<Queued> waiting = new ArrayDeque<>();
    private int inFlight;

    private record Queued(ProviderCall call, CompletableFuture<ProviderAnswer> answer) {
    }

    ConcurrencyLimit(ModelProvider provider, int maxConcurrency) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, got " + maxConcurrency);
        }
        this.provider = provider;
        this.maxConcurrency = maxConcurrency;
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public CompletableFuture<ProviderAnswer> call(ProviderCall call) {
        CompletableFuture<ProviderAnswer> answer = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            start = inFlight < maxConcurrency;
            if (start) {
                inFlight++;
            } else {
                waiting.addLast(new Queued(call, answer));
            }
        }
        if (start) {
            run(new Queued(call, answer));
        }
        return answer;
    }

    private void run(Queued next) {
        CompletableFuture<ProviderAnswer> sent;
        try {
            sent = provider.call(next.call());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ProviderAnswer> attempt = sent;
        next.answer().whenComplete((answered, error) -> {
            if (next.answer().isCancelled()) {
                attempt.cancel(true); // the worker gave up on it: the provider's call goes too
            }
        });
        attempt.whenComplete((answered, error) -> {
            if (error != null) {
                next.answer().completeExceptionally(error);
            } else {
                next.answer().complete(answered);
            }
            release();
        });
    }

    /** A slot is free: the next waiting attempt that still wants it starts in it. */
    private void release() {
        Queued next;
        synchronized (this) {
            do {
                next = waiting.pollFirst();
            } while (next != null && next.answer().isDone());
            if (next == null) {
                inFlight--;
                return;
            }
        }
        run(next);
    }

    /** Attempts in flight now (tests, metrics). */
    synchronized int inFlight() {
        return inFlight;
    }

    /** Attempts waiting for a slot now, cancelled ones not counted once a slot came by. */
    synchronized int waiting() {
        return waiting.size();
    }

    @Override
    public void close() {
        provider.close();
    }
}
