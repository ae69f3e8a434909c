package io.samplingbroker.broker.delegation;

import java.time.Duration;
import java.util.Map;

import io.samplingbroker.serviceruntime.ConfigFileException;
import io.samplingbroker.serviceruntime.ConfigSource;

/**
 * The delegation API's limits ({@code broker.delegation.*}).
 *
 * @param maxWait the longest a POST or a GET waits for an outcome before it answers with the request as it stands
 *     ({@code broker.delegation.max.wait.ms}, default 30 s; a host asks for less with {@code Prefer: wait} or
 *     {@code ?wait})
 * @param retention how long a concluded request is kept for its host to fetch, or to retry its POST
 *     ({@code broker.delegation.retention.ms}, default 15 min)
 * @param maxKept the most concluded requests an instance keeps, over all hosts; the oldest go first
 *     ({@code broker.delegation.max.kept}, default 10000)
 */
public record DelegationSettings(Duration maxWait, Duration retention, int maxKept) {

    public static final DelegationSettings DEFAULTS = new DelegationSettings(Duration.ofSeconds(30),
            Duration.ofMinutes(15), 10_000);

    public DelegationSettings {
        if (maxWait == null || maxWait.isNegative() || maxWait.isZero()
                || maxWait.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigFileException("broker.delegation.max.wait.ms must be in 1..600000, got "
                    + (maxWait == null ? null : maxWait.toMillis()));
        }
        if (retention == null || retention.toSeconds() < 1) {
            throw new ConfigFileException("broker.delegation.retention.ms must be at least 1000, got "
                    + (retention == null ? null : retention.toMillis()));
        }
        if (maxKept < 1) {
            throw new ConfigFileException("broker.delegation.max.kept must be at least 1, got " + maxKept);
        }
    }

    public static DelegationSettings fromSettings(Map<String, String> settings) {
        long kept = ConfigSource.wholeNumber(settings, "broker.delegation.max.kept", DEFAULTS.maxKept);
        if (kept > Integer.MAX_VALUE) {
            throw new ConfigFileException("broker.delegation.max.kept is too large: " + kept);
        }
        return new DelegationSettings(Duration.ofMillis(ConfigSource.wholeNumber(settings,
                "broker.delegation.max.wait.ms", DEFAULTS.maxWait.toMillis())),
                Duration.ofMillis(ConfigSource.wholeNumber(settings, "broker.delegation.retention.ms",
                        DEFAULTS.retention.toMillis())), (int) kept);
    }
}
