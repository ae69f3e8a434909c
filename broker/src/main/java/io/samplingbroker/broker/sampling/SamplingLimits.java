package io.samplingbroker.broker.sampling;

import java.time.Duration;

/**
 * How long and how large a sampling request may be.
 *
 * @param deadline how long a request may wait for its outcome ({@code broker.sampling.deadline.ms}, default 45 s:
 *     below the 60 s that common servers wait)
 * @param maxRequestBytes the largest request (its JSON, in bytes) the broker records
 *     ({@code broker.sampling.max.request.bytes}, default 1,000,000: under Kafka's default 1 MiB record limit with
 *     room for the context; raise both together)
 * @param maxTaskTtl the longest a task-augmented request (2025-11-25 tasks) may wait, whatever ttl the server asks
 *     ({@code broker.sampling.task.max.ttl.ms}, default 1 h): a task's review may take as long as its ttl
 */
public record SamplingLimits(Duration deadline, int maxRequestBytes, Duration maxTaskTtl) {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 1_000_000;
    public static final Duration DEFAULT_MAX_TASK_TTL = Duration.ofHours(1);

    public SamplingLimits {
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("broker.sampling.deadline.ms must be between 1 ms and 1 hour, got "
                    + deadline.toMillis());
        }
        if (maxTaskTtl.compareTo(Duration.ofSeconds(1)) < 0 || maxTaskTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("broker.sampling.task.max.ttl.ms must be between 1 s and 7 days, got "
                    + maxTaskTtl.toMillis());
        }
        if (maxRequestBytes < 1_024) {
            throw new IllegalArgumentException("broker.sampling.max.request.bytes must be at least 1024, got "
                    + maxRequestBytes);
        }
    }

    public static SamplingLimits of(Duration deadline) {
        return new SamplingLimits(deadline, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_TASK_TTL);
    }
}
