package io.samplingbroker.serviceruntime.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Keeps the labels whose values come from the outside (host, tenant, server, model, rule, provider) from growing a
 * time series per value without end: each such label takes its first {@code max} distinct values, and every later one
 * is counted under {@value #OTHER}. The totals stay right; only the split past the cap is lost. Labels of the
 * broker's own making (an outcome, a stage, an error code) are bounded by the code and pass untouched.
 */
final class BoundedLabels implements MeterFilter {

    static final String OTHER = "other";

    private final Set<String> keys;
    private final int max;
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

    BoundedLabels(Set<String> keys, int max) {
        this.keys = Set.copyOf(keys);
        this.max = max;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = new ArrayList<>();
        boolean capped = false;
        for (Tag tag : id.getTagsAsIterable()) {
            if (keys.contains(tag.getKey()) && !admitted(tag.getKey(), tag.getValue())) {
                tags.add(Tag.of(tag.getKey(), OTHER));
                capped = true;
            } else {
                tags.add(tag);
            }
        }
        return capped ? id.replaceTags(tags) : id;
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
