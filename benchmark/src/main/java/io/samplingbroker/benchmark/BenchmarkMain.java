package io.samplingbroker.benchmark;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.LoggerFactory;

import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * The end-to-end benchmark: real Kafka, real Apicurio (child process), approval-worker (approve all), model-worker
 * (offline model) and the broker, all in this JVM ({@link BenchStack}), or with {@code -processes} each an OS process
 * of its own ({@link ProcessStack}), with the load generator playing both MCP sides. Then the Kafka three-hop floor
 * and the no-broker floor (the server's own host answering) at the same rates, then 10,000 requests held pending
 * (one-JVM mode). Prints Markdown tables.
 */
public final class BenchmarkMain {

    /**
     * The benchmark's logging: the services at WARN. Named explicitly because the classpath holds other modules'
     * {@code log4j2.xml} and test-support's {@code log4j2-test.xml}, which Log4j prefers and which logs every request
     * at INFO: the console would be measured instead of the spine.
     */
    static final String LOGGING = "log4j2-benchmark.xml";
    private static final String LOGGING_PROPERTY = "log4j2.configurationFile";

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean ownLogging = System.getProperty(LOGGING_PROPERTY) == null;
        if (ownLogging) {
            System.setProperty(LOGGING_PROPERTY, LOGGING); // before the first logger exists
        }
        boolean requestLogging = LoggerFactory.getLogger("io.samplingbroker.modelworker").isInfoEnabled();
        if (requestLogging && ownLogging) {
            System.err.println("The services would log every request at INFO: " + LOGGING + " was not applied");
            System.exit(2);
            return;
        }
        if (requestLogging) {
            System.out.println("Note: -D" + LOGGING_PROPERTY + " logs every request at INFO; the console is measured too");
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(options);
        } catch (Throwable e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // a stray non-daemon thread of a stopped client must not keep the JVM alive
    }

    private static void run(BenchmarkOptions options) throws Exception {
        Report report = new Report(options);
        report.machine();
        Prompts prompts = new Prompts(256, 42);
        long started = System.nanoTime();
        try (BenchServices stack = options.processes()
                ? ProcessStack.start(options.sessions(), options.instances()) : oneJvm(options)) {
            endToEnd(stack, prompts, options, report);
            stack.stopServices(); // the services export what they still buffer as they stop
            if (options.tracing()) {
                System.out.printf("Spans the services exported over OTLP: %d%n", stack.spansExported());
            }
            floor(stack, prompts, options, report);
            if (options.direct()) {
                direct(stack.cpuMeter(), prompts, options, report);
            }
            report.ratios();
            report.cpuTable(stack.cpuMeter());
            if (options.pendingCount() > 0 && options.processes()) {
                System.out.printf("%nThe pending-memory scenario is skipped with -processes: it measures the heap of"
                        + " this JVM, which holds no broker in that mode.%n");
            } else if (options.pendingCount() > 0) {
                try {
                    report.pending(PendingScenario.run(stack, prompts, options.pendingCount(), 2000));
                } finally {
                    stack.stopServices();
                }
            }
            report.memory(stack.children());
        }
        report.summary();
        System.out.printf("%nBenchmark finished in %.0f s.%n", (System.nanoTime() - started) / 1e9);
    }

    /** Kafka, the services and the load generator in this JVM, Apicurio a child process. */
    private static BenchStack oneJvm(BenchmarkOptions options) {
        BenchStack stack = new BenchStack().withSessions(options.sessions()).startInfrastructure();
        if (options.tracing()) {
            stack.withTracing();
        }
        if (options.approvalLingerMs() >= 0) {
            stack.withApprovalStreamsSettings(Map.of("producer.linger.ms", Integer.toString(options.approvalLingerMs())));
        }
        return stack;
    }

    private static void endToEnd(BenchServices stack, Prompts prompts, BenchmarkOptions options, Report report)
            throws Exception {
        stack.startServices("bench-e2e-" + System.currentTimeMillis() + ".", true, Duration.ofSeconds(45), prompts);
        McpUpstreamServer upstream = stack.upstream();
        OpenLoop.Sender send = (id, intended) -> upstream.sendSampling(id, prompts);
        if (options.warmupSeconds() > 0) {
            // A ramp through the fixed rates, so that the JIT has compiled the high-rate paths of every component
            // (Kafka, Streams, Vert.x) before anything is recorded; the compiler threads share the two cores.
            // It ends at the first rate the machine does not hold once warm, so that the ramp leaves no backlog to
            // the measured steps (each step also drains what it leaves, below); while no rate has held yet, the JIT
            // is cold, and the first rate is run again, up to three times.
            List<Integer> ramp = options.rates().isEmpty() ? List.of(250) : options.rates();
            int each = Math.max(1, options.warmupSeconds() / ramp.size());
            boolean warm = false;
            for (int i = 0, coldRuns = 0; i < ramp.size(); i++) {
                int rate = ramp.get(i);
                System.out.printf("Warm-up: %d s at %d req/s (not recorded)%n", each, rate);
                LatencyStats stats = step(stack, "warm-up", rate, each, options, send);
                boolean held = stats.holds(options.sustainP99Millis());
                if (!held && !warm && ++coldRuns < 3) {
                    i--; // still cold: the same rate again
                } else if (!held) {
                    System.out.printf("Warm-up ends at %d req/s: this machine does not hold it (%s)%n", rate,
                            stats.row().trim());
                    break;
                }
                warm |= held;
            }
        }
        List<LatencyStats> fixed = new ArrayList<>();
        List<Long> peaks = new ArrayList<>();
        List<long[]> windows = new ArrayList<>();
        for (int rate : options.rates()) {
            MemoryProbe.resetPeaks();
            long from = System.currentTimeMillis();
            CpuMeter.Mark cpu = stack.cpuMeter().mark();
            LatencyStats stats = step(stack, "broker " + rate, rate, options.stepSeconds(), options, send);
            report.cpu(stats, cpu);
            windows.add(new long[] {from, System.currentTimeMillis()});
            fixed.add(stats);
            peaks.add(MemoryProbe.heapPeak());
            System.out.println(stats.row());
        }
        report.endToEnd(fixed, peaks, upstream.backpressured());
        report.mrtr(mrtr(stack, options, report));
        StageBreakdown stages = StageBreakdown.read(stack.settings());
        StringBuilder table = new StringBuilder(StageBreakdown.header());
        for (int i = 0; i < fixed.size(); i++) {
            table.append(stages.rows(fixed.get(i).rate() + " req/s", windows.get(i)[0], windows.get(i)[1]));
        }
        report.stages(table.toString());
        if (options.search()) {
            int start = options.rates().isEmpty() ? 500 : options.rates().get(0);
            report.search(search(stack, start, 3, options.searchP99Millis(), options, send), options.searchP99Millis(),
                    false);
            report.search(search(stack, 500, 4, options.sustainP99Millis(), options, send),
                    options.sustainP99Millis(), true);
        }
        KafkaSettings settings = stack.settings();
        String prefix = settings.topics().prefix();
        report.kafkaVolume(KafkaVolume.table(KafkaVolume.read(stack.bootstrapServers(), prefix),
                settings.samplingTopics().requests().name().substring(prefix.length())));
        report.processMemory("after the end-to-end runs");
        report.childMemory(stack.children());
    }

    /**
     * The same rates with 2026-07-28 calls: host → broker → server ({@code input_required}) → the sampling through
     * Kafka → retry → server → host. Two HTTP hops more than the legacy step, which times only the sampling.
     */
    private static List<LatencyStats> mrtr(BenchServices stack, BenchmarkOptions options, Report report)
            throws InterruptedException {
        SessionlessHost host = stack.sessionlessHost();
        List<LatencyStats> steps = new ArrayList<>();
        for (int rate : options.rates()) {
            InFlight inFlight = OpenLoop.inFlightFor(rate, options.timeoutMillis());
            host.track(inFlight);
            CpuMeter.Mark cpu = stack.cpuMeter().mark();
            LatencyStats stats = OpenLoop.run("mrtr " + rate, rate, options.stepSeconds(), inFlight,
                    (id, intended) -> host.call(id));
            drain(stack);
            report.cpu(stats, cpu);
            steps.add(stats);
            System.out.println(stats.row());
        }
        return steps;
    }

    private static RateSearch.Result search(BenchServices stack, int start, int bisections, double p99,
            BenchmarkOptions options, OpenLoop.Sender send) throws InterruptedException {
        return RateSearch.search(start, options.searchMaxRate(), bisections, p99, rate -> {
            LatencyStats s = step(stack, "search " + rate, rate, options.searchStepSeconds(), options, send);
            System.out.println(s.row());
            return s;
        });
    }

    private static LatencyStats step(BenchServices stack, String label, int rate, int seconds,
            BenchmarkOptions options, OpenLoop.Sender send) throws InterruptedException {
        InFlight inFlight = OpenLoop.inFlightFor(rate, options.timeoutMillis());
        stack.upstream().track(inFlight);
        LatencyStats stats = OpenLoop.run(label, rate, seconds, inFlight, send);
        drain(stack);
        return stats;
    }

    /**
     * Waits until the broker(s) hold no pending request (at most the deadline): requests the load generator gave up
     * on still wait in the broker, and would queue ahead of the next step's.
     */
    private static void drain(BenchServices stack) throws InterruptedException {
        Thread.sleep(500); // let the tail of late answers land
        long started = System.nanoTime();
        long limit = started + stack.deadline().plusSeconds(5).toNanos();
        int left = stack.pendingCount();
        if (left == 0) {
            return;
        }
        while (stack.pendingCount() > 0 && System.nanoTime() < limit) {
            Thread.sleep(100);
        }
        System.out.printf("  (drained: %d request(s) were still pending after the step; %d left after %.1f s)%n", left,
                stack.pendingCount(), (System.nanoTime() - started) / 1e9);
    }

    private static void floor(BenchServices stack, Prompts prompts, BenchmarkOptions options, Report report)
            throws Exception {
        if (options.floorRate() <= 0) {
            return;
        }
        try (KafkaFloor floor = new KafkaFloor(stack.bootstrapServers(), "bench-" + System.currentTimeMillis() + ".")) {
            floor.run("floor warm-up", options.floorRate(), Math.min(5, Math.max(1, options.warmupSeconds())),
                    options.timeoutMillis(), prompts);
            List<LatencyStats> floors = new ArrayList<>();
            for (int rate : options.rates()) {
                CpuMeter.Mark cpu = stack.cpuMeter().mark();
                LatencyStats stats = floor.run("3-hop floor " + rate, rate, options.stepSeconds(),
                        options.timeoutMillis(), prompts);
                report.cpu(stats, cpu);
                floors.add(stats);
                System.out.println(stats.row());
            }
            report.floor(floors);
        }
    }

    /**
     * MCP sampling with no broker and no Kafka, at the same rates; run once the services are stopped, so that the
     * box is as quiet as for the Kafka floor. A short warm-up at the first rate lets the JIT compile this path's own
     * code (the host's mapping, the server's answer handling), which the broker steps never ran.
     */
    private static void direct(CpuMeter meter, Prompts prompts, BenchmarkOptions options, Report report) throws Exception {
        if (options.rates().isEmpty()) {
            return;
        }
        try (DirectFloor floor = DirectFloor.start(options.sessions())) {
            int warmup = Math.min(5, Math.max(1, options.warmupSeconds()));
            System.out.printf("No-broker warm-up: %d s at %d req/s (not recorded)%n", warmup, options.rates().get(0));
            floor.run("direct warm-up", options.rates().get(0), warmup, options.timeoutMillis(), prompts);
            List<LatencyStats> steps = new ArrayList<>();
            for (int rate : options.rates()) {
                CpuMeter.Mark cpu = meter.mark();
                LatencyStats stats = floor.run("no broker " + rate, rate, options.stepSeconds(),
                        options.timeoutMillis(), prompts);
                report.cpu(stats, cpu);
                steps.add(stats);
                System.out.println(stats.row());
            }
            report.direct(steps, floor.hostFailures());
        }
    }

    static String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + ManagementFactory.getRuntimeMXBean().getInputArguments();
    }
}
