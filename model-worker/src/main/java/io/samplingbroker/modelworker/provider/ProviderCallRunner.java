package io.samplingbroker.modelworker.provider;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/** Starts provider calls that retry by the {@link RetryPolicy} within each request's deadline. */
public final class ProviderCallRunner {

    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final RetryPolicy policy;

    /**
     * @param scheduler runs the pauses between attempts (no thread sleeps while a call waits)
     * @param clock tells the time the deadline is compared with
     */
    public ProviderCallRunner(ScheduledExecutorService scheduler, Clock clock, RetryPolicy policy) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Starts the first attempt now.
     *
     * @param call the attempt template; its timeout is the provider's per-attempt timeout
     * @param maxRetries retries allowed after the first attempt
     * @param deadline the request's deadline: no attempt runs past it
     */
    public RunningCall start(ModelProvider provider, ProviderCall call, int maxRetries, Instant deadline) {
        RunningCall running = new RunningCall(provider, call, maxRetries, deadline, scheduler, clock, policy);
        running.begin();
        return running;
    }
}
