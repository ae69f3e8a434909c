package io.samplingbroker.audit.replay;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Records read, rate and time left, on one line of stderr rewritten every second, only when stderr is a terminal:
 * piped output stays free of it.
 */
public final class Progress {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private long total;
    private long read;
    private long startNanos;
    private long lastPrintNanos;
    private int lastWidth;

    public Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    void start(long totalRecords) {
        total = totalRecords;
        startNanos = System.nanoTime();
        lastPrintNanos = startNanos;
    }

    void record() {
        read++;
        if (enabled && (read & 255) == 0) {
            long now = System.nanoTime();
            if (now - lastPrintNanos >= INTERVAL_NANOS) {
                lastPrintNanos = now;
                print(line(read, total, (now - startNanos) / 1e9));
            }
        }
    }

    void finish() {
        if (enabled && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
        }
    }

    private void print(String line) {
        String padded = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
        lastWidth = line.length();
        err.print("\r" + padded);
        err.flush();
    }

    /** {@code 120,000 / 1,000,000 records (12%)  45,210 rec/s  ~19 s left}. */
    static String line(long read, long total, double seconds) {
        double rate = seconds > 0 ? read / seconds : 0;
        String left = rate > 0 && total > read ? "  ~" + duration((long) ((total - read) / rate)) + " left" : "";
        long percent = total > 0 ? Math.min(100, read * 100 / total) : 100;
        return String.format(Locale.ROOT, "%,d / %,d records (%d%%)  %,.0f rec/s%s", read, total, percent, rate, left);
    }

    private static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds / 60 % 60 + " min";
    }
}
