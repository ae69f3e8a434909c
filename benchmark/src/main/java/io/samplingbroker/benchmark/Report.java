package io.samplingbroker.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prints the run as Markdown, and keeps what the summary against the targets needs. */
final class Report {

    private final BenchmarkOptions options;
    private List<LatencyStats> endToEnd = List.of();
    private List<LatencyStats> floors = List.of();
    private List<LatencyStats> mrtr = List.of();
    private List<LatencyStats> direct = List.of();
    private RateSearch.Result search;
    private RateSearch.Result sustained;
    private PendingScenario.Result pending;
    private final StringBuilder cpu = new StringBuilder();

    Report(BenchmarkOptions options) {
        this.options = options;
    }

    void machine() {
        long memKb = 0;
        try {
            memKb = MemoryProbe.parseStatusField(Files.readString(Path.of("/proc/meminfo")), "MemTotal").orElse(0) / 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        System.out.printf("## Machine%n%ncores %d, memory %.1f GiB, %s, max heap %s%n%noptions %s%n%n",
                Runtime.getRuntime().availableProcessors(), memKb / (1024.0 * 1024.0), BenchmarkMain.jvm(),
                MemoryProbe.mib(Runtime.getRuntime().maxMemory()), options);
        System.out.println(LatencyStats.header());
    }

    void endToEnd(List<LatencyStats> stats, List<Long> heapPeaks, long backpressured) {
        this.endToEnd = stats;
        System.out.printf("%n## End to end (host session → broker → Kafka → approval → model → broker → server)%n%n");
        System.out.println(LatencyStats.header());
        stats.forEach(s -> System.out.println(s.row()));
        System.out.println();
        for (int i = 0; i < stats.size(); i++) {
            System.out.printf("peak heap during %s req/s: %s%n", stats.get(i).rate(), MemoryProbe.mib(heapPeaks.get(i)));
        }
        System.out.printf("sends that found the broker's GET stream write queue full: %d%n%n", backpressured);
    }

    void mrtr(List<LatencyStats> stats) {
        this.mrtr = stats;
        System.out.printf("%n## MRTR round trip (2026-07-28 host → broker → server input_required → Kafka → approval →"
                + " model → broker → retry → server → host)%n%n");
        System.out.println(LatencyStats.header());
        stats.forEach(s -> System.out.println(s.row()));
        System.out.printf("%n| rate/s | MRTR p50 / legacy p50 | MRTR p99 / legacy p99 |%n|---:|---:|---:|%n");
        for (LatencyStats m : stats) {
            for (LatencyStats e : endToEnd) {
                if (e.rate() == m.rate()) {
                    System.out.printf("| %d | %.2f× | %.2f× |%n", m.rate(), m.p50() / e.p50(), m.p99() / e.p99());
                }
            }
        }
        System.out.println();
    }

    void search(RateSearch.Result result, double p99Limit, boolean sustain) {
        if (sustain) {
            this.sustained = result;
        } else {
            this.search = result;
        }
        System.out.printf("%n## %s search (p99 ≤ %.0f ms, no errors, %d s steps)%n%n",
                sustain ? "Sustained-throughput" : "Capacity", p99Limit, options.searchStepSeconds());
        System.out.println(LatencyStats.header());
        result.steps().forEach(s -> System.out.println(s.row()));
        System.out.printf("%nhighest rate holding: %d req/s%n%n", result.best());
    }

    void stages(String table) {
        System.out.printf("%n## Stage breakdown per fixed-rate step%n%n%s%n", table);
    }

    void floor(List<LatencyStats> stats) {
        this.floors = stats;
        System.out.printf("%n## Kafka three-hop floor%n%n");
        System.out.println(LatencyStats.header());
        stats.forEach(s -> System.out.println(s.row()));
        System.out.println();
    }

    void direct(List<LatencyStats> stats, String hostFailures) {
        this.direct = stats;
        System.out.printf("%n## No broker: the server's own host answers (the floor for MCP sampling)%n%n");
        System.out.println(LatencyStats.header());
        stats.forEach(s -> System.out.println(s.row()));
        System.out.printf("%n%s%n%n", hostFailures);
    }

    /** One step's CPU, per request sent, from the mark taken as it began (the table: {@link #cpuTable}). */
    void cpu(LatencyStats step, CpuMeter.Mark began) {
        cpu.append(began.row(step.label().trim(), step.sent()));
    }

    void cpuTable(CpuMeter meter) {
        if (cpu.isEmpty()) {
            return;
        }
        System.out.printf("%n## %s%n%n%s%s%n", meter.title(), meter.header(), cpu);
    }

    void kafkaVolume(String table) {
        System.out.printf("%n## Kafka records and bytes per sampling request (the end-to-end run's topics)%n%n%s%n",
                table);
    }

    /** After both floors: one table of the broker's latencies against each (printed once both are known). */
    void ratios() {
        if (floors.isEmpty() && direct.isEmpty()) {
            return;
        }
        System.out.printf("%n## The broker against the floors%n%n%s%n", FloorRatios.table(endToEnd, floors, mrtr, direct));
    }

    void pending(PendingScenario.Result result) {
        this.pending = result;
        System.out.printf("%n## %,d requests held pending (no model-worker)%n%n%s%n%n", result.requested(),
                result.describe());
    }

    void processMemory(String when) {
        System.out.printf("process memory %s: VmHWM %s, VmRSS %s, heap peak %s%n", when,
                MemoryProbe.mib(MemoryProbe.selfStatusBytes("VmHWM")), MemoryProbe.mib(MemoryProbe.selfStatusBytes("VmRSS")),
                MemoryProbe.mib(MemoryProbe.heapPeak()));
    }

    void memory(List<BenchServices.Child> children) {
        System.out.printf("%n## Memory%n%n");
        processMemory("at the end");
        childMemory(children);
    }

    /** Each child's resident memory now and at its peak, from /proc. */
    void childMemory(List<BenchServices.Child> children) {
        for (BenchServices.Child child : children) {
            System.out.printf("%s child (pid %d): VmRSS %s, VmHWM %s%n", child.name(), child.pid(),
                    MemoryProbe.mib(MemoryProbe.statusBytes(child.pid(), "VmRSS")),
                    MemoryProbe.mib(MemoryProbe.statusBytes(child.pid(), "VmHWM")));
        }
    }

    void summary() {
        System.out.printf("%n## Targets%n%n| target | measured | met |%n|---|---|---|%n");
        LatencyStats at1000 = endToEnd.stream().filter(s -> s.rate() == 1000).findFirst().orElse(null);
        LatencyStats floor1000 = floors.stream().filter(s -> s.rate() == 1000).findFirst().orElse(null);
        if (at1000 != null && floor1000 != null) {
            double ratio = at1000.p50() / floor1000.p50();
            row("p50 ≤ 2× three-hop floor (1,000 req/s)", String.format("%.2f ms vs %.2f ms = %.2f×", at1000.p50(),
                    floor1000.p50(), ratio), ratio <= 2.0);
        }
        if (at1000 != null) {
            row("p99 ≤ 20 ms at 1,000 req/s", String.format("%.2f ms, %d errors", at1000.p99(), at1000.errors()),
                    at1000.p99() <= 20.0 && at1000.errors() == 0);
        }
        if (search != null) {
            row("(search) highest rate with p99 ≤ " + (int) options.searchP99Millis() + " ms, no errors",
                    search.best() + " req/s", search.best() > 0);
        }
        if (sustained != null) {
            row("≥ 3,000 req/s sustained, no errors", String.format("highest rate with no errors and p99 ≤ %.0f ms: "
                    + "%d req/s", options.sustainP99Millis(), sustained.best()), sustained.best() >= 3000);
        }
        if (!endToEnd.isEmpty() && !direct.isEmpty()) {
            halfOfDirect();
        }
        if (pending != null) {
            row("10,000 pending in ≤ 256 MB heap", String.format("delta %s (whole JVM heap %s)",
                    MemoryProbe.mib(pending.delta()), MemoryProbe.mib(pending.heapAfter())),
                    pending.pending() >= pending.requested() && pending.delta() <= 256L * 1024 * 1024);
        }
    }

    /**
     * From the fixed-rate steps of this run only (the capacity search runs on the broker alone): each path's
     * sustained throughput lies between the highest fixed rate it held and the next one it did not.
     */
    private void halfOfDirect() {
        double p99 = options.sustainP99Millis();
        HeldRate broker = HeldRate.of(endToEnd, p99);
        HeldRate noBroker = HeldRate.of(direct, p99);
        String measured = String.format("highest fixed rate held (no errors, p99 ≤ %.0f ms, answers ≥ 95 %% of"
                + " arrivals) of %s req/s: broker %s, no broker %s", p99, options.rates(), broker.describe(),
                noBroker.describe());
        String met = switch (broker.atLeastHalfOf(noBroker)) {
            case MET -> "yes";
            case NOT_MET -> "**no**";
            case UNDETERMINED -> noBroker.failedAt() == 0
                    ? "not determined: the no-broker path held every rate run, so its capacity is only known to be ≥ "
                            + noBroker.held() + " req/s"
                    : "not determined: the two brackets overlap";
        };
        System.out.printf("| sustained throughput ≥ ½ of the no-broker path's | %s | %s |%n", measured, met);
    }

    private static void row(String target, String measured, boolean met) {
        System.out.printf("| %s | %s | %s |%n", target, measured, met ? "yes" : "**no**");
    }
}
