package io.samplingbroker.audit;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigException;

import io.samplingbroker.audit.replay.AuditUnavailableException;
import io.samplingbroker.serviceruntime.ConfigFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The audit command: {@code timeline} (the default), {@code summary} and {@code verify} over the retained sampling
 * topics. Exit status: 0 done (verify: clean), 1 verify found problems, 2 bad arguments, bad configuration, or
 * Kafka or the registry unreachable.
 */
@Command(name = "sampling-audit", mixinStandardHelpOptions = true, version = "sampling-audit 0.1.0",
        subcommands = {TimelineCommand.class, SummaryCommand.class, VerifyCommand.class, DeadLettersCommand.class},
        description = "Rebuilds, summarises and verifies the history of sampling requests from the Kafka topics.%n"
                + "Without a command: timeline.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done; verify found nothing wrong", "1:verify found problems",
            "2:bad arguments or configuration, Kafka or the registry unreachable"})
public final class AuditMain implements Runnable {

    private static final Set<String> COMMANDS = Set.of("timeline", "summary", "verify", "dead-letters", "help");

    final PrintStream out;
    final PrintStream err;
    final Map<String, String> environment;
    final boolean terminal;

    AuditMain(PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        // progress only when a person watches: System.console() is null when stdin or stdout is redirected
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err, System.getenv(), System.console() != null));
    }

    /** Runs the command as {@code main} does, with its streams and environment given (tests run it in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment,
            boolean terminal) {
        CommandLine cli = new CommandLine(new AuditMain(out, err, environment, terminal));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof AuditUnavailableException || e instanceof ConfigException
                    || e instanceof ConfigFileException || e instanceof IllegalArgumentException) {
                err.println("sampling-audit: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        int status = cli.execute(withDefaultCommand(args));
        out.flush();
        return status;
    }

    /** {@code timeline} when the first argument is not a command (picocli has no default subcommand). */
    static String[] withDefaultCommand(String[] args) {
        if (args.length > 0 && (COMMANDS.contains(args[0]) || List.of("-h", "--help", "-V", "--version")
                .contains(args[0]))) {
            return args;
        }
        List<String> all = new ArrayList<>(List.of("timeline"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }
}
