package io.samplingbroker.audit.output;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.EventType;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.serviceruntime.spend.ModelPrice;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;

/**
 * What the selected requests spent, per tenant, host and server: tokens in and out of every completion (a response
 * a reviewer rejected was still paid for), and, with a price catalogue, what they cost at the price of the model that
 * answered. Completions by a model the catalogue does not price are counted apart, so a total is never silently low.
 */
final class SpendReport {

    /** Tokens and cost of one tenant, host or server. */
    private static final class Spend {
        long inputTokens;
        long outputTokens;
        long costMicros;
        long unpriced;

        void add(long input, long output, Long cost) {
            inputTokens += input;
            outputTokens += output;
            if (cost == null) {
                unpriced++;
            } else {
                costMicros += cost;
            }
        }
    }

    private final PriceCatalogue prices;
    private final Spend total = new Spend();
    private final Map<String, Spend> byTenant = new TreeMap<>();
    private final Map<String, Spend> byHost = new TreeMap<>();
    private final Map<String, Spend> byServer = new TreeMap<>();
    private final Map<String, Long> unpricedModels = new TreeMap<>();

    SpendReport(PriceCatalogue prices) {
        this.prices = prices;
    }

    void add(Timeline timeline) {
        for (AuditEvent event : timeline.events()) {
            if (event.type() != EventType.COMPLETED) {
                continue;
            }
            long input = orZero(event.inputTokens());
            long output = orZero(event.outputTokens());
            String model = event.answeringModel();
            Long cost = prices.of(model).map((ModelPrice price) -> price.costMicros(input,
                    orZero(event.cachedInputTokens()), output)).orElse(null);
            if (cost == null && !prices.isEmpty()) {
                unpricedModels.merge(model == null ? "(unknown)" : model, 1L, Long::sum);
            }
            total.add(input, output, cost);
            byTenant.computeIfAbsent(orNone(timeline.tenant()), key -> new Spend()).add(input, output, cost);
            byHost.computeIfAbsent(orNone(timeline.host()), key -> new Spend()).add(input, output, cost);
            byServer.computeIfAbsent(orNone(timeline.server()), key -> new Spend()).add(input, output, cost);
        }
    }

    long costMicros() {
        return total.costMicros;
    }

    void printTable(PrintStream out) {
        boolean priced = !prices.isEmpty();
        out.printf(Locale.ROOT, "spend      tokens in %,d  out %,d%s%n", total.inputTokens, total.outputTokens,
                priced ? "  cost " + prices.format(total.costMicros) : "  (no prices: --prices FILE)");
        section(out, "spend by tenant", byTenant, priced);
        section(out, "spend by host", byHost, priced);
        section(out, "spend by server", byServer, priced);
        unpricedModels.forEach((model, count) -> out.printf(Locale.ROOT,
                "  not priced: %s (%,d completion(s), not in the cost)%n", model, count));
    }

    void toJson(ObjectNode parent) {
        ObjectNode node = parent.putObject("spend");
        if (!prices.isEmpty()) {
            node.put("currency", prices.currency());
        }
        json(node.putObject("total"), total);
        ObjectNode tenants = node.putObject("byTenant");
        byTenant.forEach((key, spend) -> json(tenants.putObject(key), spend));
        ObjectNode hosts = node.putObject("byHost");
        byHost.forEach((key, spend) -> json(hosts.putObject(key), spend));
        ObjectNode servers = node.putObject("byServer");
        byServer.forEach((key, spend) -> json(servers.putObject(key), spend));
        unpricedModels.forEach(node.putObject("unpricedModels")::put);
    }

    private void json(ObjectNode node, Spend spend) {
        node.put("inputTokens", spend.inputTokens);
        node.put("outputTokens", spend.outputTokens);
        if (!prices.isEmpty()) {
            node.put("cost", prices.amount(spend.costMicros));
            node.put("costMicros", spend.costMicros);
        }
    }

    private void section(PrintStream out, String title, Map<String, Spend> spends, boolean priced) {
        out.println(title);
        spends.forEach((key, spend) -> out.printf(Locale.ROOT, "  %-40s in %,12d  out %,12d%s%n", key,
                spend.inputTokens, spend.outputTokens, priced ? "  " + prices.format(spend.costMicros) : ""));
    }

    private static long orZero(Long tokens) {
        return tokens == null ? 0 : tokens;
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }
}
