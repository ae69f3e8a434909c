package io.samplingbroker.benchmark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The separate-process mode's CPU: each child's user + system time from {@code /proc/<pid>/stat}, summed per kind
 * (the instances of a service together), and this JVM's, which holds only the load generator (and the floors). A
 * process that ends during a step loses that step's share; the services live through every step.
 */
final class ProcessCpuMeter implements CpuMeter {

    static final String LOAD = "load generator (this JVM)";
    /** The columns after the total, in the order of the data path. */
    static final List<String> KINDS = List.of(ProcessStack.BROKER, ProcessStack.APPROVAL, ProcessStack.MODELS,
            ProcessStack.KAFKA, ProcessStack.REGISTRY, LOAD);

    private final Supplier<List<BenchServices.Child>> children;
    private final long ticksPerSecond = ProcStat.clockTicksPerSecond();

    ProcessCpuMeter(Supplier<List<BenchServices.Child>> children) {
        this.children = children;
    }

    @Override
    public Mark mark() {
        Map<Long, Long> before = ticks(children.get());
        long selfBefore = CpuProbe.processNanos();
        return (label, requests) -> {
            List<BenchServices.Child> now = children.get();
            Map<Long, Long> after = ticks(now);
            Map<String, Long> nanosByKind = new HashMap<>();
            for (BenchServices.Child child : now) {
                Long end = after.get(child.pid());
                if (end != null) {
                    long spent = end - before.getOrDefault(child.pid(), 0L);
                    nanosByKind.merge(child.kind(), spent * 1_000_000_000L / ticksPerSecond, Long::sum);
                }
            }
            nanosByKind.put(LOAD, CpuProbe.processNanos() - selfBefore);
            return row(label, requests, nanosByKind);
        };
    }

    /** One row: the total of every column, then each kind's, in milliseconds per request. */
    static String row(String label, long requests, Map<String, Long> nanosByKind) {
        long total = KINDS.stream().mapToLong(kind -> nanosByKind.getOrDefault(kind, 0L)).sum();
        StringBuilder row = new StringBuilder("| ").append(label).append(" | ").append(String.format("%,d", requests))
                .append(" | ").append(millisPer(total, requests)).append(" |");
        for (String kind : KINDS) {
            row.append(' ').append(millisPer(nanosByKind.getOrDefault(kind, 0L), requests)).append(" |");
        }
        return row.append('\n').toString();
    }

    private static String millisPer(long nanos, long requests) {
        return requests == 0 ? "n/a" : String.format("%.3f", nanos / 1e6 / requests);
    }

    private static Map<Long, Long> ticks(List<BenchServices.Child> processes) {
        Map<Long, Long> ticks = new HashMap<>();
        for (BenchServices.Child child : processes) {
            ProcStat.cpuTicks(child.pid()).ifPresent(t -> ticks.put(child.pid(), t));
        }
        return ticks;
    }

    @Override
    public String title() {
        return "CPU per request sent (ms of process CPU time, /proc/<pid>/stat utime + stime at " + ticksPerSecond
                + " ticks/s; each service's instances summed)\n\nEvery service, Kafka and Apicurio is a process of"
                + " its own; this JVM holds the load generator alone (and the floors' clients in the floor steps).";
    }

    @Override
    public String header() {
        return CpuMeter.header("all processes", KINDS.toArray(String[]::new));
    }
}
