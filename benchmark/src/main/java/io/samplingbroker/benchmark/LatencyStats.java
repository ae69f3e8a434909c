package io.samplingbroker.benchmark;

import org.HdrHistogram.Histogram;

/**
 * One step's figures: latencies in milliseconds of the answers that were results, and the error counts.
 *
 * @param answered results (error answers are counted, not timed with them: a fast refusal must not make the
 *     latency of the results look better)
 * @param errorReplies JSON-RPC error responses (and sends that failed), the shed ones included
 * @param shed error responses that were the broker shedding load ({@code -32004}, overloaded)
 * @param errorMax the slowest error response, in milliseconds (0 without any): how soon a refusal came
 * @param missing requests unanswered after the timeout
 * @param refused sends refused because the in-flight bound was reached
 */
public record LatencyStats(String label, int rate, double seconds, long sent, long answered, double p50, double p90,
        double p99, double p999, double max, long errorReplies, long shed, double errorMax, long missing,
        long refused) {

    static LatencyStats of(String label, int rate, double seconds, Histogram h, long sent, long errorReplies,
            long shed, long errorMaxNanos, long missing, long refused) {
        return new LatencyStats(label, rate, seconds, sent, h.getTotalCount(), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()), errorReplies, shed, ms(errorMaxNanos), missing, refused);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    public long errors() {
        return errorReplies + missing + refused;
    }

    /** Answers per second actually achieved (over the step, or until the last answer if later). */
    public double throughput() {
        return seconds <= 0 ? 0 : answered / seconds;
    }

    /** No errors, the p99 within the limit, and the answers kept pace with the arrivals (≥ 95 %). */
    public boolean holds(double p99LimitMillis) {
        return errors() == 0 && answered > 0 && p99 <= p99LimitMillis && throughput() >= 0.95 * rate;
    }

    public static String header() {
        return String.format("| %-16s | %6s | %7s | %8s | %7s | %7s | %7s | %8s | %8s | %6s | %6s | %10s | %7s | %7s |",
                "run", "rate/s", "sent", "done/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors",
                "shed", "err max ms", "missing", "refused")
                + "\n|" + "-".repeat(18) + "|--------:|---------:|----------:|--------:|--------:|--------:|"
                + "----------:|----------:|-------:|-------:|-----------:|--------:|--------:|";
    }

    public String row() {
        return String.format("| %-16s | %6d | %7d | %8.0f | %7.2f | %7.2f | %7.2f | %8.2f | %8.2f | %6d | %6d | %10.1f | %7d"
                + " | %7d |", label, rate, sent, throughput(), p50, p90, p99, p999, max, errorReplies, shed, errorMax,
                missing, refused);
    }
}
