package io.samplingbroker.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * What to run, from the command line.
 *
 * @param rates fixed arrival rates (requests/s) of the end-to-end steps
 * @param stepSeconds measured seconds per step
 * @param warmupSeconds warm-up seconds before the first step, spread over the rates as a ramp (not recorded)
 * @param searchStepSeconds seconds per step of the capacity search
 * @param searchP99Millis the p99 the strict capacity search must hold
 * @param sustainP99Millis the p99 the sustained-throughput search must hold (no errors, no unbounded queueing)
 * @param searchMaxRate the capacity search never goes above this rate
 * @param timeoutMillis a request not answered within this is counted missing
 * @param floorRate arrival rate of the Kafka three-hop floor (0: skip)
 * @param pendingCount requests held pending in the memory scenario (0: skip)
 * @param search whether to run the capacity search
 * @param approvalLingerMs an experiment: the approval-worker's Kafka Streams {@code producer.linger.ms} (-1: the
 *        service's own default)
 * @param tracing whether every service exports its spans (over OTLP, to a receiver in the benchmark's JVM)
 * @param direct whether to run the no-broker floor (the upstream server answered by its own host)
 * @param sessions host sessions the load is spread over (1: the one-session stress case)
 * @param processes whether Kafka and every service run as child processes of their own ({@link ProcessStack})
 * @param instances brokers, approval-workers and model-workers of each kind (more than 1 only with {@code processes})
 */
public record BenchmarkOptions(List<Integer> rates, int stepSeconds, int warmupSeconds, int searchStepSeconds,
        double searchP99Millis, double sustainP99Millis, int searchMaxRate, long timeoutMillis, int floorRate, int pendingCount, boolean search,
        int approvalLingerMs, boolean tracing, boolean direct, int sessions, boolean processes, int instances) {

    public BenchmarkOptions {
        if (instances < 1) {
            throw new IllegalArgumentException("-instances must be at least 1, got " + instances);
        }
        if (instances > 1 && !processes) {
            throw new IllegalArgumentException("-instances needs -processes (one JVM holds one instance of each)");
        }
        if (processes && (tracing || approvalLingerMs >= 0)) {
            throw new IllegalArgumentException("-tracing and -approval-linger-ms are options of the one-JVM mode,"
                    + " not of -processes");
        }
    }

    public static BenchmarkOptions defaults() {
        return new BenchmarkOptions(List.of(250, 500, 1000, 2000), 10, 20, 5, 50.0, 1000.0, 16_000, 5_000, 1000, 10_000,
                true, -1, false, true, 200, false, 1);
    }

    /** Parses {@code -rates 250,500 -step 10 -warmup 10 -search-step 5 -search-p99 50 -sustain-p99 1000 -search-max 16000
     * -timeout 5000 -floor-rate 1000 -pending 10000 -no-search
     * -approval-linger-ms 5 -tracing -no-direct -sessions 200 -processes -instances 2}. */
    public static BenchmarkOptions parse(String... args) {
        BenchmarkOptions o = defaults();
        List<Integer> rates = o.rates;
        int step = o.stepSeconds;
        int warmup = o.warmupSeconds;
        int searchStep = o.searchStepSeconds;
        double searchP99 = o.searchP99Millis;
        double sustainP99 = o.sustainP99Millis;
        int searchMax = o.searchMaxRate;
        long timeout = o.timeoutMillis;
        int floorRate = o.floorRate;
        int pending = o.pendingCount;
        boolean search = o.search;
        int approvalLinger = o.approvalLingerMs;
        boolean tracing = o.tracing;
        boolean direct = o.direct;
        int sessions = o.sessions;
        boolean processes = o.processes;
        int instances = o.instances;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.isBlank()) {
                continue;
            }
            if (name.equals("-no-search")) {
                search = false;
                continue;
            }
            if (name.equals("-tracing")) {
                tracing = true;
                continue;
            }
            if (name.equals("-no-direct")) {
                direct = false;
                continue;
            }
            if (name.equals("-processes")) {
                processes = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "-rates" -> rates = parseRates(value);
                case "-step" -> step = positive(name, value);
                case "-warmup" -> warmup = nonNegative(name, value);
                case "-search-step" -> searchStep = positive(name, value);
                case "-search-p99" -> searchP99 = Double.parseDouble(value);
                case "-sustain-p99" -> sustainP99 = Double.parseDouble(value);
                case "-search-max" -> searchMax = positive(name, value);
                case "-timeout" -> timeout = positive(name, value);
                case "-floor-rate" -> floorRate = nonNegative(name, value);
                case "-pending" -> pending = nonNegative(name, value);
                case "-approval-linger-ms" -> approvalLinger = nonNegative(name, value);
                case "-sessions" -> sessions = positive(name, value);
                case "-instances" -> instances = positive(name, value);
                default -> throw new IllegalArgumentException("Unknown option " + name);
            }
        }
        return new BenchmarkOptions(rates, step, warmup, searchStep, searchP99, sustainP99, searchMax, timeout, floorRate, pending,
                search, approvalLinger, tracing, direct, sessions, processes, instances);
    }

    private static List<Integer> parseRates(String value) {
        List<Integer> rates = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                rates.add(positive("-rates", part.trim()));
            }
        }
        return List.copyOf(rates);
    }

    private static int positive(String name, String value) {
        int n = nonNegative(name, value);
        if (n == 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return n;
    }

    private static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got '" + value + "'", e);
        }
    }
}
