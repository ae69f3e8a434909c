package io.samplingbroker.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.samplingbroker.audit.output.SummaryReport;
import io.samplingbroker.audit.replay.Replay;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.serviceruntime.spend.PriceFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Counts, tokens and latency percentiles over the requests the filters select. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Counts by outcome, host, server and model; tokens (and, with --prices, cost) by tenant, host"
                + " and server; latency from request to delivery (p50, p90, p99, max).")
public final class SummaryCommand implements Callable<Integer> {

    @ParentCommand
    AuditMain main;

    @Mixin
    CommonOptions options;

    @Option(names = "--prices", paramLabel = "FILE", description = "A price file (as the approval-worker's"
            + " prices.file): spend in money, at the price of the model that answered each request.")
    Path prices;

    @Override
    public Integer call() {
        SummaryReport report = new SummaryReport(prices == null ? PriceCatalogue.none() : PriceFile.load(prices));
        Replay.Result result = AuditRun.replay(main, options, List.of(), report);
        if (options.format == CommonOptions.Format.jsonl) {
            main.out.println(report.toJson().toString());
        } else {
            report.printTable(main.out);
        }
        AuditRun.footer(main, options, result.stats());
        return 0;
    }
}
