package io.samplingbroker.audit.output;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;

/**
 * Counts by outcome, host, server and model, total tokens, spend by tenant, host and server ({@link SpendReport}),
 * and the latency from request to delivery as percentiles. Memory is a few counters per distinct host, server and model, and one histogram.
 */
public final class SummaryReport implements Consumer<Timeline> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Latencies up to one day, 3 significant digits: about 40 KB. */
    private static final long MAX_LATENCY_MS = 24 * 3600 * 1000L;

    private final Map<String, Long> byOutcome = new TreeMap<>();
    private final Map<String, Long> byHost = new TreeMap<>();
    private final Map<String, Long> byServer = new TreeMap<>();
    private final Map<String, Long> byModel = new TreeMap<>();
    private final Histogram latency = new Histogram(MAX_LATENCY_MS, 3);
    private long requests;
    private long inputTokens;
    private long outputTokens;
    private final SpendReport spend;

    /** @param prices what the spend is priced with ({@link PriceCatalogue#none()}: tokens only) */
    public SummaryReport(PriceCatalogue prices) {
        this.spend = new SpendReport(prices);
    }

    @Override
    public void accept(Timeline timeline) {
        requests++;
        byOutcome.merge(timeline.outcome().label(), 1L, Long::sum);
        byHost.merge(orUnknown(timeline.host()), 1L, Long::sum);
        byServer.merge(orUnknown(timeline.server()), 1L, Long::sum);
        if (timeline.models().isEmpty()) {
            byModel.merge("(none)", 1L, Long::sum);
        }
        timeline.models().forEach(model -> byModel.merge(model, 1L, Long::sum));
        inputTokens += timeline.inputTokens();
        outputTokens += timeline.outputTokens();
        spend.add(timeline);
        long millis = timeline.deliveryLatencyMillis();
        if (millis >= 0) {
            latency.recordValue(Math.min(millis, MAX_LATENCY_MS));
        }
    }

    public long requests() {
        return requests;
    }

    public Map<String, Long> byOutcome() {
        return byOutcome;
    }

    public Map<String, Long> byHost() {
        return byHost;
    }

    public Map<String, Long> byServer() {
        return byServer;
    }

    public Map<String, Long> byModel() {
        return byModel;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    /** What the completions cost, in micro-units of the price catalogue's currency (0 without prices). */
    public long costMicros() {
        return spend.costMicros();
    }

    /** Requests delivered, the population of the latency percentiles. */
    public long delivered() {
        return latency.getTotalCount();
    }

    /** Latency from request to delivery at {@code percentile} (0..100), in milliseconds; 0 when none. */
    public long latencyPercentile(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile);
    }

    public long latencyMax() {
        return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue();
    }

    public void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "requests   %,d%n", requests);
        section(out, "by outcome", byOutcome);
        section(out, "by host", byHost);
        section(out, "by server", byServer);
        section(out, "by model", byModel);
        out.printf(Locale.ROOT, "tokens     in %,d  out %,d  total %,d%n", inputTokens, outputTokens,
                inputTokens + outputTokens);
        spend.printTable(out);
        out.printf(Locale.ROOT, "latency    requested -> delivered, %,d delivered: p50 %s  p90 %s  p99 %s  max %s%n",
                delivered(), seconds(latencyPercentile(50)), seconds(latencyPercentile(90)),
                seconds(latencyPercentile(99)), seconds(latencyMax()));
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("requests", requests);
        byOutcome.forEach(node.putObject("byOutcome")::put);
        byHost.forEach(node.putObject("byHost")::put);
        byServer.forEach(node.putObject("byServer")::put);
        byModel.forEach(node.putObject("byModel")::put);
        node.put("inputTokens", inputTokens);
        node.put("outputTokens", outputTokens);
        spend.toJson(node);
        ObjectNode latencyNode = node.putObject("latencyMs");
        latencyNode.put("delivered", delivered());
        latencyNode.put("p50", latencyPercentile(50));
        latencyNode.put("p90", latencyPercentile(90));
        latencyNode.put("p99", latencyPercentile(99));
        latencyNode.put("max", latencyMax());
        return node;
    }

    private static void section(PrintStream out, String title, Map<String, Long> counts) {
        out.println(title);
        counts.forEach((key, count) -> out.printf(Locale.ROOT, "  %-40s %,10d%n", key, count));
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3fs", millis / 1000.0);
    }

    private static String orUnknown(String value) {
        return value == null ? "(unknown)" : value;
    }
}
