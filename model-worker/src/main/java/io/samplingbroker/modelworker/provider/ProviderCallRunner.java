package io.samplingbroker.modelworker.provider;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts provider calls that fall back from model to model and retry by the {@link RetryPolicy}, within each
 * request's deadline.
 */
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
     * @param targets the model and its fallbacks, in the order they are tried
     * @param deadline the request's deadline: no attempt runs past it
     */
    public RunningCall start(List<CallTarget> targets, Instant deadline) {
        RunningCall running = new RunningCall(targets, deadline, scheduler, clock, policy);
        running.begin();
        return running;
    }
}
