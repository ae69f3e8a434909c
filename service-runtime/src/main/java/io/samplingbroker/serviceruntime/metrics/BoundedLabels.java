package io.samplingbroker.serviceruntime.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Keeps the labels whose values come from the outside (host, tenant, server, model, rule, provider, and the error
 * code, which a host that samples itself chooses) from growing a time series per value without end: each such label
 * takes its first {@code max} distinct values, and every later one is counted under {@value #OTHER}. The totals stay
 * right; only the split past the cap is lost. Applied to the tags before a meter is looked up (not as a Micrometer
 * filter, which would still remember every original value it mapped). Labels of the code's own making (an outcome,
 * a stage) pass untouched.
 */
final class BoundedLabels {

    static final String OTHER = "other";

    private final Set<String> keys;
    private final int max;
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

    BoundedLabels(Set<String> keys, int max) {
        this.keys = Set.copyOf(keys);
        this.max = max;
    }

    /** The tags with every open label's value admitted, or {@value #OTHER} past the cap. */
    Tags bound(Tags tags) {
        List<Tag> bounded = new ArrayList<>();
        boolean capped = false;
        for (Tag tag : tags) {
            if (keys.contains(tag.getKey()) && !admitted(tag.getKey(), tag.getValue())) {
                bounded.add(Tag.of(tag.getKey(), OTHER));
                capped = true;
            } else {
                bounded.add(tag);
            }
        }
        return capped ? Tags.of(bounded) : tags;
    }

    private boolean admitted(String key, String value) {
        Set<String> values = seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        if (values.contains(value)) {
            return true;
        }
        synchronized (values) {
            if (values.size() >= max) {
                return values.contains(value);
            }
            values.add(value);
            return true;
        }
    }
}
