package io.samplingbroker.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** A process's CPU time from {@code /proc/<pid>/stat} (Linux): user plus system time of all its threads. */
final class ProcStat {

    /** What Linux uses on every architecture the project runs on; only used when {@code getconf} cannot say. */
    static final long DEFAULT_CLOCK_TICKS = 100;

    private ProcStat() {
    }

    /** The process's CPU time in clock ticks; empty when it has ended (or this is not Linux). */
    static OptionalLong cpuTicks(long pid) {
        try {
            return OptionalLong.of(parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * utime + stime (fields 14 and 15) of a {@code stat} line. The command name (field 2) is in parentheses and may
     * hold spaces and parentheses itself, so the fields are counted from after its last ')'.
     */
    static long parseCpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}), or {@value #DEFAULT_CLOCK_TICKS}. */
    static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return parseClockTicks(out);
            }
        } catch (IOException | RuntimeException e) {
            // no getconf: the default below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_CLOCK_TICKS;
    }

    static long parseClockTicks(String getconfOutput) {
        long ticks = Long.parseLong(getconfOutput.trim());
        if (ticks <= 0) {
            throw new IllegalArgumentException("CLK_TCK must be positive, got " + ticks);
        }
        return ticks;
    }
}
