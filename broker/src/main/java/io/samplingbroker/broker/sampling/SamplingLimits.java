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
 * @param pendingPerSession sampling requests one session (or one sessionless call) may have waiting for their outcome
 *     on this instance ({@code broker.sampling.pending.per.session}, default 32): a server looping on
 *     {@code sampling/createMessage} is refused rather than queueing without end for a reviewer
 * @param pendingPerHost the same for all sessions and calls of one host together
 *     ({@code broker.sampling.pending.per.host}, default 128)
 * @param drainTimeout how long a stopping instance (SIGTERM) lets its pending requests finish, refusing new ones,
 *     before it abandons what is left ({@code broker.sampling.drain.timeout.ms}, default 30 s)
 * @param shedDelay the standing delay in the pipeline (Kafka and the workers, the model's own time not counted) past
 *     which new requests are refused at once rather than queued behind it ({@code broker.sampling.shed.delay.ms},
 *     default 1 s; 0 never refuses): see {@link PipelineLoad}
 */
public record SamplingLimits(Duration deadline, int maxRequestBytes, Duration maxTaskTtl, int pendingPerSession,
        int pendingPerHost, Duration drainTimeout, Duration shedDelay) {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 1_000_000;
    public static final Duration DEFAULT_MAX_TASK_TTL = Duration.ofHours(1);
    public static final int DEFAULT_PENDING_PER_SESSION = 32;
    public static final int DEFAULT_PENDING_PER_HOST = 128;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHED_DELAY = Duration.ofSeconds(1);

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
        if (pendingPerSession < 1 || pendingPerHost < 1) {
            throw new IllegalArgumentException("broker.sampling.pending.per.session and .per.host must be at least 1,"
                    + " got " + pendingPerSession + " and " + pendingPerHost);
        }
        if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("broker.sampling.drain.timeout.ms must be between 0 and 1 hour, got "
                    + drainTimeout.toMillis());
        }
        if (shedDelay.isNegative() || shedDelay.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("broker.sampling.shed.delay.ms must be between 0 and 1 hour, got "
                    + shedDelay.toMillis());
        }
        if (pendingPerSession > pendingPerHost) {
            throw new IllegalArgumentException("broker.sampling.pending.per.session (" + pendingPerSession
                    + ") cannot exceed broker.sampling.pending.per.host (" + pendingPerHost + ")");
        }
    }

    public static SamplingLimits of(Duration deadline) {
        return new SamplingLimits(deadline, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_TASK_TTL,
                DEFAULT_PENDING_PER_SESSION, DEFAULT_PENDING_PER_HOST, DEFAULT_DRAIN_TIMEOUT, DEFAULT_SHED_DELAY);
    }

    /** The same, recording requests up to {@code bytes}. */
    public SamplingLimits withMaxRequestBytes(int bytes) {
        return new SamplingLimits(deadline, bytes, maxTaskTtl, pendingPerSession, pendingPerHost, drainTimeout,
                shedDelay);
    }

    /** The same, with other limits on pending requests ({@link Integer#MAX_VALUE} for none: the benchmark). */
    public SamplingLimits withPending(int perSession, int perHost) {
        return new SamplingLimits(deadline, maxRequestBytes, maxTaskTtl, perSession, perHost, drainTimeout,
                shedDelay);
    }

    /** The same, shedding load past another standing delay ({@link Duration#ZERO}: never). */
    public SamplingLimits withShedDelay(Duration delay) {
        return new SamplingLimits(deadline, maxRequestBytes, maxTaskTtl, pendingPerSession, pendingPerHost,
                drainTimeout, delay);
    }
}
