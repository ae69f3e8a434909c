package io.samplingbroker.systemtests;

import java.util.List;
import java.util.stream.Collectors;

import io.samplingbroker.testsupport.FaultLoad;

/** One fault's line of the fault table (docs/reliability.md). */
record FaultRow(String fault, FaultLoad.Tally tally, long notSent, int providerRepeats,
        int providerRepeatsAfterCompletion, String verify) {

    private static final String HEADER = "| fault | sent | results | errors (code: count) | lost"
            + " | ended with their session | misrouted | duplicated | provider called again (after completion)"
            + " | recovery | audit verify |\n"
            + "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";

    static String table(List<FaultRow> rows) {
        return HEADER + rows.stream().map(FaultRow::line).collect(Collectors.joining("\n")) + "\n";
    }

    private String line() {
        String errors = tally.errors().isEmpty() ? "0" : tally.errors().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
        return "| " + fault + " | " + tally.sent() + " | " + tally.results() + " | " + errors + " | " + tally.lost()
                + " | " + tally.endedWithSession() + " | " + tally.misrouted() + " | " + tally.duplicated() + " | " + providerRepeats + " (" + providerRepeatsAfterCompletion + ") | "
                + String.format("%.1f s", tally.recovery().toMillis() / 1000.0) + " | " + verify + " |";
    }
}
