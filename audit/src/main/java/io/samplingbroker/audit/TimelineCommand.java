package io.samplingbroker.audit;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.samplingbroker.audit.output.JsonLinesWriter;
import io.samplingbroker.audit.output.TableWriter;
import io.samplingbroker.audit.replay.Replay;
import io.samplingbroker.audit.timeline.Timeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** Each request's rebuilt timeline, as soon as it is complete (so output is grouped by partition, then time). */
@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = "Rebuilds each request's timeline: requested, decisions (rule or reviewer, with edits),"
                + " completion or failure, result, delivered / cancelled / expired / abandoned.")
public final class TimelineCommand implements Callable<Integer> {

    @ParentCommand
    AuditMain main;

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        Consumer<Timeline> sink = options.format == CommonOptions.Format.jsonl ? new JsonLinesWriter(main.out)
                : new TableWriter(main.out);
        Replay.Result result = AuditRun.replay(main, options, List.of(), sink);
        AuditRun.footer(main, options, result.stats());
        return 0;
    }
}
