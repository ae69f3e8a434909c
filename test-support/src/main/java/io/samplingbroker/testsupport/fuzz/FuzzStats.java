package io.samplingbroker.testsupport.fuzz;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one libFuzzer run reported on its output: how many inputs it executed, in how long, the corpus it started from
 * and ended with, and the coverage it reached. libFuzzer prints {@code seed corpus: files: N} once it has read its
 * inputs, a status line per milestone ({@code #1048576 pulse cov: 612 ft: 2210 corp: 301/19Kb ...}) and
 * {@code Done N runs in S second(s)} at a normal end; the last status line wins, so a run that ended on a finding
 * still counts what it did.
 *
 * @param executions inputs run (0 when the run printed no status)
 * @param seconds the run's own measure of its time, or -1 when it did not end normally
 * @param edges coverage: instrumented edges reached ({@code cov})
 * @param features coverage features, edges with hit counts and comparisons ({@code ft})
 * @param corpusAtStart inputs read at the start: seeds, findings kept in the repository, the corpus of earlier runs
 * @param corpusAtEnd inputs in the corpus at the end (each one reaches coverage the others do not)
 */
public record FuzzStats(long executions, long seconds, long edges, long features, long corpusAtStart,
        long corpusAtEnd) {

    private static final Pattern STATUS = Pattern.compile("^#(\\d+)\\s+\\S+\\s+cov: (\\d+) ft: (\\d+) corp: (\\d+)/");
    private static final Pattern DONE = Pattern.compile("^Done (\\d+) runs in (\\d+) second");
    private static final Pattern SEEDS = Pattern.compile("seed corpus: files: (\\d+)");

    public static FuzzStats parse(List<String> lines) {
        long executions = 0;
        long seconds = -1;
        long edges = 0;
        long features = 0;
        long start = 0;
        long end = 0;
        for (String line : lines) {
            Matcher status = STATUS.matcher(line);
            if (status.find()) {
                executions = Long.parseLong(status.group(1));
                edges = Long.parseLong(status.group(2));
                features = Long.parseLong(status.group(3));
                end = Long.parseLong(status.group(4));
                continue;
            }
            Matcher done = DONE.matcher(line);
            if (done.find()) {
                executions = Long.parseLong(done.group(1));
                seconds = Long.parseLong(done.group(2));
                continue;
            }
            Matcher seeds = SEEDS.matcher(line);
            if (seeds.find()) {
                start = Long.parseLong(seeds.group(1));
            }
        }
        return new FuzzStats(executions, seconds, edges, features, start, end);
    }

    /** Executions per second, or -1 when the run did not say how long it took. */
    public long perSecond() {
        return seconds > 0 ? executions / seconds : -1;
    }
}
