package io.samplingbroker.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.audit.replay.Replay;
import io.samplingbroker.audit.verify.AuditCheck;
import io.samplingbroker.audit.verify.AuditChecks;
import io.samplingbroker.audit.verify.CheckpointCheck;
import io.samplingbroker.audit.verify.CheckpointFile;
import io.samplingbroker.audit.verify.Finding;
import io.samplingbroker.audit.verify.Findings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Runs the checks over the history; exit 0 when clean, 1 with a report naming requests, topics and offsets. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks the history: every request has a terminal event (or is still open), no event without"
                + " its request, stages in order, the event chain intact, no records deleted from the start of a"
                + " partition; optionally against a checkpoint.")
public final class VerifyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    AuditMain main;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--write-checkpoint", paramLabel = "FILE", description = "Also write a checkpoint of every"
            + " partition read (end offset and digest) to FILE; keep it where the services cannot write.")
    Path writeCheckpoint;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Also compare the history with a checkpoint"
            + " written earlier: records it covered must still be there, unchanged.")
    Path checkpoint;

    @Override
    public Integer call() throws Exception {
        List<AuditCheck> checks = new ArrayList<>(AuditChecks.all());
        CheckpointCheck checkpoints = null;
        if (writeCheckpoint != null || checkpoint != null) {
            if (options.from != null) {
                throw new ParameterException(spec.commandLine(),
                        "--checkpoint and --write-checkpoint need the whole history: leave out --from");
            }
            checkpoints = checkpoint == null ? CheckpointCheck.recording()
                    : CheckpointCheck.comparingWith(CheckpointFile.read(checkpoint));
            checks.add(checkpoints);
        }
        Replay.Result result = AuditRun.replay(main, options, checks, timeline -> { });
        if (writeCheckpoint != null) {
            CheckpointFile.write(writeCheckpoint, checkpoints.marks(), java.time.Instant.now());
            main.err.println("checkpoint written to " + writeCheckpoint);
        }
        Findings findings = result.findings();
        String names = checks.stream().map(AuditCheck::name).collect(Collectors.joining(", "));
        if (options.format == CommonOptions.Format.jsonl) {
            for (Finding finding : findings.list()) {
                main.out.println(JSON.valueToTree(finding).toString());
            }
            ObjectNode total = JSON.createObjectNode();
            total.put("checks", names);
            total.put("requests", result.stats().timelines());
            total.put("open", result.stats().open());
            total.put("findings", findings.total());
            findings.countsByCheck().forEach(total.putObject("byCheck")::put);
            main.out.println(total.toString());
        } else {
            for (Finding finding : findings.list()) {
                main.out.println(finding.describe());
            }
            if (findings.dropped() > 0) {
                main.out.printf(Locale.ROOT, "... and %,d more findings%n", findings.dropped());
            }
            main.out.printf(Locale.ROOT, "verify: %s; %,d requests checked (%,d still open), %,d records read"
                    + " [checks: %s]%n", findings.isEmpty() ? "OK" : findings.total() + " problem(s) " + findings.countsByCheck(),
                    result.stats().timelines(), result.stats().open(), result.stats().records(), names);
        }
        return findings.isEmpty() ? 0 : 1;
    }
}
