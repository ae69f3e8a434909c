package io.samplingbroker.benchmark;

import java.util.OptionalDouble;

/** Reads a gauge from a service's {@code /metrics} (Prometheus' text format). */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The sum of every sample of {@code name} (with or without labels) in {@code text}; empty when it has none.
     * Comments ({@code # HELP}, {@code # TYPE}) and other metrics whose names start with {@code name} are skipped.
     */
    static OptionalDouble sum(String text, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name)) {
                continue;
            }
            String rest = line.substring(name.length());
            if (rest.startsWith("{")) {
                int close = rest.lastIndexOf('}');
                rest = close < 0 ? "" : rest.substring(close + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // another metric: name_total, name_max, ...
            }
            String[] parts = rest.trim().split("\\s+"); // value, then an optional timestamp
            if (!parts[0].isEmpty()) {
                sum += Double.parseDouble(parts[0]);
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
