package io.samplingbroker.testsupport.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The long form of the fuzz tests ({@code mvn verify -Pfuzz}): every {@code @FuzzTest} of a module fuzzed in a JVM of
 * its own (Jazzer fuzzes one target per run), for {@code fuzz.duration} each, with a per-input time limit
 * ({@code fuzz.input.timeout}) and a bounded heap ({@code fuzz.heap}), so a hang or a runaway allocation is a finding
 * like an exception. Writes one table row per target to {@code target/fuzz/campaign.md} of the module and appends it
 * to the report of the whole build; exits 1 when any target had a finding (saved as {@code crash-*}, {@code timeout-*}
 * or {@code oom-*} in the target's inputs directory, where the regression run replays it from then on).
 *
 * <p>Arguments: the module's test classes directory, the module directory, the build's report file.
 */
public final class FuzzCampaign {

    private static final Pattern FINDING = Pattern.compile("^(crash|timeout|oom|leak)-.*");
    /** Time on top of the fuzzing duration for a child to start, replay its corpus and stop. */
    private static final Duration GRACE = Duration.ofMinutes(3);

    private FuzzCampaign() {
    }

    /** One target's outcome. */
    record Outcome(FuzzTarget target, FuzzStats stats, List<String> findings, int exitCode) {

        boolean passed() {
            return exitCode == 0 && findings.isEmpty();
        }

        String row() {
            return "| " + target.displayName() + " | " + String.format("%,d", stats.executions()) + " | "
                    + (stats.perSecond() < 0 ? "-" : String.format("%,d", stats.perSecond())) + " | "
                    + stats.corpusAtStart() + " → " + stats.corpusAtEnd() + " | " + stats.edges() + " / " + stats.features() + " | "
                    + (findings.isEmpty() ? "0" : findings.size() + ": " + String.join(", ", findings)) + " | "
                    + (passed() ? "passed" : "FAILED (exit " + exitCode + ")") + " |";
        }
    }

    static final String HEADER = "| Target | Executions | exec/s | Corpus (start → end) | Coverage (edges / "
            + "features) | Findings | Result |\n|---|---:|---:|---|---|---|---|";

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: FuzzCampaign <test-classes dir> <module dir> <build report file>");
            System.exit(2);
        }
        Path testClasses = Path.of(args[0]);
        Path moduleDir = Path.of(args[1]);
        Path buildReport = Path.of(args[2]);
        String duration = System.getProperty("fuzz.duration", "2m");
        String inputTimeout = System.getProperty("fuzz.input.timeout", "5 s");
        String heap = System.getProperty("fuzz.heap", "1g");
        Pattern only = Pattern.compile(System.getProperty("fuzz.target", ".*"));

        List<FuzzTarget> targets = FuzzTarget.discover(testClasses, FuzzCampaign.class.getClassLoader()).stream()
                .filter(target -> only.matcher(target.displayName()).find()).toList();
        if (targets.isEmpty()) {
            System.out.println("[fuzz] no fuzz test in " + moduleDir.getFileName() + " matches " + only.pattern());
            return;
        }
        Path logs = moduleDir.resolve("target/fuzz");
        Files.createDirectories(logs);
        List<Outcome> outcomes = new ArrayList<>();
        for (FuzzTarget target : targets) {
            System.out.println("[fuzz] " + target.displayName() + ": fuzzing for " + duration + " (input limit "
                    + inputTimeout + ", heap " + heap + ")");
            Outcome outcome = run(target, moduleDir, logs, duration, inputTimeout, heap);
            System.out.println("[fuzz] " + outcome.row());
            outcomes.add(outcome);
        }
        StringBuilder table = new StringBuilder();
        outcomes.forEach(outcome -> table.append(outcome.row()).append('\n'));
        Files.writeString(logs.resolve("campaign.md"), HEADER + "\n" + table, StandardCharsets.UTF_8);
        appendToBuildReport(buildReport, moduleDir.getFileName().toString(), duration, table.toString());
        if (outcomes.stream().anyMatch(outcome -> !outcome.passed())) {
            System.err.println("[fuzz] findings: see " + logs + " and the inputs directories named above");
            System.exit(1);
        }
    }

    private static Outcome run(FuzzTarget target, Path moduleDir, Path logs, String duration, String inputTimeout,
            String heap) throws IOException, InterruptedException {
        Path inputs = target.inputs(moduleDir);
        Set<String> before = findings(inputs);
        Path log = logs.resolve(target.displayName() + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                FuzzTargetRun.class.getName(), target.className(), target.method(), moduleDir.toString(), duration,
                inputTimeout);
        ProcessBuilder builder = new ProcessBuilder(command).directory(moduleDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAZZER_FUZZ", "1");
        Process child = builder.start();
        long limitSeconds = FuzzTargetRun.seconds(duration) + GRACE.toSeconds();
        int exitCode;
        if (child.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            exitCode = child.exitValue();
        } else {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly().waitFor();
            exitCode = -1;
            Files.writeString(log, "\n[fuzz] killed: still running " + limitSeconds + " s after it started\n",
                    StandardOpenOption.APPEND);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        Set<String> after = findings(inputs);
        after.removeAll(before);
        return new Outcome(target, FuzzStats.parse(lines), after.stream().sorted().toList(), exitCode);
    }

    private static Set<String> findings(Path inputs) {
        Set<String> names = new HashSet<>();
        if (!Files.isDirectory(inputs)) {
            return names;
        }
        try (Stream<Path> files = Files.list(inputs)) {
            files.map(file -> file.getFileName().toString()).filter(name -> FINDING.matcher(name).matches())
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void appendToBuildReport(Path report, String module, String duration, String rows)
            throws IOException {
        Files.createDirectories(report.toAbsolutePath().getParent());
        StringBuilder text = new StringBuilder();
        if (!Files.exists(report)) {
            text.append("# Fuzz campaign\n\n").append(HEADER).append('\n');
        }
        text.append(rows.lines().map(row -> row.replaceFirst("^\\| ", "| " + module + ": ") + "\n")
                .reduce("", String::concat));
        Files.writeString(report, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("[fuzz] " + module + " (" + duration + " per target) appended to " + report);
    }
}
