package io.samplingbroker.admin;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

import io.samplingbroker.serviceruntime.ConfigFileException;
import io.samplingbroker.serviceruntime.kafka.KafkaUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator's admin command, {@code sampling-admin}: {@code provision} (topics, schemas and ACLs, once, with admin
 * rights) and {@code keys create|list|revoke} for the API keys machine hosts authenticate with. Exit status: 0 done, 1 nothing to act on (no such key), 2 bad arguments or configuration,
 * Kafka or the registry unreachable.
 */
@Command(name = "sampling-admin", mixinStandardHelpOptions = true, version = "sampling-admin 0.1.0",
        subcommands = {ProvisionCommand.class, KeysCommand.class},
        description = "Administers a Sampling Broker deployment: provisions its topics, schemas and ACLs; issues the"
                + " API keys of machine hosts.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:no such key", "2:bad arguments or configuration, Kafka or the registry unreachable"})
public final class AdminMain implements Runnable {

    final PrintStream out;
    final PrintStream err;
    final Map<String, String> environment;
    final Clock clock;

    AdminMain(PrintStream out, PrintStream err, Map<String, String> environment, Clock clock) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.clock = clock;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err, System.getenv(), Clock.systemUTC()));
    }

    /** Runs the command as {@code main} does, with its streams, environment and clock given (tests run it in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment,
            Clock clock) {
        CommandLine cli = new CommandLine(new AdminMain(out, err, environment, clock));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof KafkaUnavailableException || e instanceof ConfigException
                    || e instanceof ConfigFileException || e instanceof IllegalArgumentException) {
                err.println("sampling-admin: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        int status = cli.execute(args);
        out.flush();
        return status;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }
}
