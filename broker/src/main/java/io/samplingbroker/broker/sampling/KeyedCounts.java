package io.samplingbroker.broker.sampling;

import java.util.HashMap;
import java.util.Map;

/**
 * How many of something each key holds now (a host's sessions, a session's pending requests), against a limit. Not
 * thread-safe: its owner holds one lock around it and whatever else it counts.
 */
public final class KeyedCounts {

    private final Map<String, Integer> counts = new HashMap<>();

    /** Takes one for {@code key}; false (nothing taken) when it already holds {@code limit}. */
    public boolean take(String key, int limit) {
        int held = counts.getOrDefault(key, 0);
        if (held >= limit) {
            return false;
        }
        counts.put(key, held + 1);
        return true;
    }

    /** Gives one back; false when the key held none (a permit given back twice is not counted twice). */
    public boolean give(String key) {
        Integer held = counts.get(key);
        if (held == null) {
            return false;
        }
        if (held <= 1) {
            counts.remove(key);
        } else {
            counts.put(key, held - 1);
        }
        return true;
    }
}
