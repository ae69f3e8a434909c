package io.samplingbroker.benchmark;

/** The CPU time a step costs the stack's parts, as one row of a table per request. */
public interface CpuMeter {

    /** What was running when a step began. */
    interface Mark {
        /** The row of the step begun at this mark: CPU milliseconds per request, for {@code requests} requests. */
        String row(String label, long requests);
    }

    Mark mark();

    /** The table's title line (what is counted and what is not). */
    String title();

    /** The table's header and rule. */
    String header();

    /** A header and rule: the step, the requests sent (the rows' divisor), {@code total}, then {@code columns}. */
    static String header(String total, String... columns) {
        StringBuilder header = new StringBuilder("| step | sent | " + total + " |");
        StringBuilder rule = new StringBuilder("|---|---:|---:|");
        for (String column : columns) {
            header.append(' ').append(column).append(" |");
            rule.append("---:|");
        }
        return header.append('\n').append(rule).append('\n').toString();
    }
}
