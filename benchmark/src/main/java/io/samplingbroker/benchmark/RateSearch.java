package io.samplingbroker.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * The highest rate that holds a p99 limit with no errors: double from a start rate until a step fails (or the
 * maximum is reached), then bisect between the last pass and the first failure.
 */
public final class RateSearch {

    /** Runs one short step at a rate. */
    @FunctionalInterface
    public interface Step {
        LatencyStats run(int rate) throws InterruptedException;
    }

    /** @param best the highest passing rate (0: none passed); @param steps every step run, in order */
    public record Result(int best, List<LatencyStats> steps) {
    }

    private RateSearch() {
    }

    public static Result search(int startRate, int maxRate, int bisections, double p99LimitMillis, Step step)
            throws InterruptedException {
        List<LatencyStats> steps = new ArrayList<>();
        int pass = 0;
        int fail = 0;
        int rate = Math.min(startRate, maxRate);
        while (true) {
            LatencyStats stats = step.run(rate);
            steps.add(stats);
            if (!stats.holds(p99LimitMillis)) {
                fail = rate;
                break;
            }
            pass = rate;
            if (rate >= maxRate) {
                return new Result(pass, steps);
            }
            rate = (int) Math.min((long) rate * 2, maxRate);
        }
        for (int i = 0; i < bisections && fail - pass > Math.max(1, pass / 20); i++) {
            int mid = pass + (fail - pass) / 2;
            LatencyStats stats = step.run(mid);
            steps.add(stats);
            if (stats.holds(p99LimitMillis)) {
                pass = mid;
            } else {
                fail = mid;
            }
        }
        return new Result(pass, steps);
    }
}
