package io.samplingbroker.broker;

import java.util.Map;

import io.samplingbroker.serviceruntime.ConfigFileException;
import io.samplingbroker.serviceruntime.ConfigSource;

/**
 * How much one host, and all hosts together, may hold of the gateway, so one host cannot starve the rest. Each refusal
 * is an HTTP 429 (or 503 for the machine-wide process limit) with {@code Retry-After} and a JSON-RPC error naming the
 * setting.
 *
 * @param sessionsPerHost 2025-11-25 sessions one host may have open ({@code broker.limits.sessions.per.host})
 * @param sessionsTotal sessions of all hosts together ({@code broker.limits.sessions.total})
 * @param callsPerHost requests one host may have in flight at once, both eras ({@code broker.limits.calls.per.host})
 * @param stdioProcesses upstream servers run as child processes at once, for every session and the sessions the
 *     broker holds for 2026-07-28 hosts ({@code broker.limits.stdio.processes})
 */
public record GatewayLimits(int sessionsPerHost, int sessionsTotal, int callsPerHost, int stdioProcesses) {

    /** What a 2-core machine survives: a stdio server is a process (tens of MB), a session a few buffers. */
    public static final GatewayLimits DEFAULTS = new GatewayLimits(16, 256, 64, 32);

    public GatewayLimits {
        positive(sessionsPerHost, "broker.limits.sessions.per.host");
        positive(sessionsTotal, "broker.limits.sessions.total");
        positive(callsPerHost, "broker.limits.calls.per.host");
        positive(stdioProcesses, "broker.limits.stdio.processes");
        if (sessionsPerHost > sessionsTotal) {
            throw new ConfigFileException("broker.limits.sessions.per.host (" + sessionsPerHost
                    + ") cannot exceed broker.limits.sessions.total (" + sessionsTotal + ")");
        }
    }

    /** No practical limit: for the benchmark, which is a stress rig and measures what the broker does without them. */
    public static GatewayLimits unlimited() {
        return new GatewayLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    static GatewayLimits fromSettings(Map<String, String> settings) {
        return new GatewayLimits(number(settings, "broker.limits.sessions.per.host", DEFAULTS.sessionsPerHost),
                number(settings, "broker.limits.sessions.total", DEFAULTS.sessionsTotal),
                number(settings, "broker.limits.calls.per.host", DEFAULTS.callsPerHost),
                number(settings, "broker.limits.stdio.processes", DEFAULTS.stdioProcesses));
    }

    private static int number(Map<String, String> settings, String key, int defaultValue) {
        long value = ConfigSource.wholeNumber(settings, key, defaultValue);
        if (value > Integer.MAX_VALUE) {
            throw new ConfigFileException(key + " is too large: " + value);
        }
        return (int) value;
    }

    private static void positive(int value, String key) {
        if (value < 1) {
            throw new ConfigFileException(key + " must be at least 1, got " + value);
        }
    }
}
