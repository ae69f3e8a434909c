package io.samplingbroker.benchmark;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The broker's latencies against the two floors of the same run, per fixed rate: the Kafka three-hop floor (what
 * Kafka alone costs) and the no-broker path (what MCP sampling costs with the server's own host answering). A cell is
 * empty when its series did not run.
 */
final class FloorRatios {

    private FloorRatios() {
    }

    static String table(List<LatencyStats> broker, List<LatencyStats> floors, List<LatencyStats> mrtr,
            List<LatencyStats> direct) {
        StringBuilder table = new StringBuilder("| rate/s | broker p50 / floor p50 | broker p99 / floor p99"
                + " | MRTR p50 / floor p50 | MRTR p99 / floor p99 | broker p50 − direct p50 (ms)"
                + " | broker p50 ÷ direct p50 | broker p99 ÷ direct p99 |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LatencyStats e : broker) {
            LatencyStats f = at(floors, e.rate());
            LatencyStats m = at(mrtr, e.rate());
            LatencyStats d = at(direct, e.rate());
            if (f == null && d == null) {
                continue;
            }
            table.append(String.format("| %d | %s | %s | %s | %s | %s | %s | %s |%n", e.rate(),
                    ratio(e, f, LatencyStats::p50), ratio(e, f, LatencyStats::p99),
                    ratio(m, f, LatencyStats::p50), ratio(m, f, LatencyStats::p99),
                    d == null ? "" : String.format("%.2f", e.p50() - d.p50()),
                    ratio(e, d, LatencyStats::p50), ratio(e, d, LatencyStats::p99)));
        }
        return table.toString();
    }

    private static LatencyStats at(List<LatencyStats> steps, int rate) {
        return steps.stream().filter(s -> s.rate() == rate).findFirst().orElse(null);
    }

    private static String ratio(LatencyStats of, LatencyStats to, ToDoubleFunction<LatencyStats> figure) {
        if (of == null || to == null) {
            return "";
        }
        double divisor = figure.applyAsDouble(to);
        return divisor > 0 ? String.format("%.2f×", figure.applyAsDouble(of) / divisor) : "n/a"; // no answers to divide by
    }
}
