package io.samplingbroker.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads, summed per component by thread name: what one request costs each part of the
 * stack when all of them share the box. Thread CPU time, not samples: a thread that ends between two snapshots loses
 * its share (the stack's threads live for the whole run).
 *
 * <p>Both Vert.x instances (the broker's and the load generator's) name their threads {@code vert.x-eventloop-thread-N},
 * so the event loops are one component; the no-broker run, whose event loops are the load generator's alone, says
 * what the load generator's part of it is.
 */
public final class CpuProbe {

    /** Component of a thread, by the name prefixes the services and Kafka give their threads; first match wins. */
    private static final Map<String, String> PREFIXES = prefixes();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** A snapshot: CPU nanoseconds per component, and the process's total (every thread, ended ones included). */
    public record Snapshot(Map<String, Long> byComponent, long processNanos) {

        /** What was spent between {@code earlier} and this snapshot. */
        public Snapshot since(Snapshot earlier) {
            Map<String, Long> spent = new TreeMap<>();
            byComponent.forEach((component, nanos) -> spent.put(component,
                    Math.max(0, nanos - earlier.byComponent.getOrDefault(component, 0L))));
            return new Snapshot(spent, processNanos - earlier.processNanos);
        }

        /** CPU milliseconds per request, per component, for {@code requests} requests. */
        public String perRequest(String label, long requests) {
            StringBuilder row = new StringBuilder("| ").append(label).append(" | ")
                    .append(String.format("%,d", requests)).append(" | ")
                    .append(millisPer(processNanos, requests)).append(" |");
            for (String component : COMPONENTS) {
                row.append(' ').append(millisPer(byComponent.getOrDefault(component, 0L), requests)).append(" |");
            }
            return row.append('\n').toString();
        }

        private static String millisPer(long nanos, long requests) {
            return requests == 0 ? "n/a" : String.format("%.3f", nanos / 1e6 / requests);
        }
    }

    static final String KAFKA = "Kafka";
    static final String APPROVAL = "approval-worker";
    static final String MODELS = "model-worker";
    static final String GATEWAY_KAFKA = "broker (Kafka side)";
    static final String EVENT_LOOPS = "event loops";
    static final String LOAD = "load generator";
    static final String FLOOR = "floor";
    static final String OTHER = "other threads";
    /** The table's columns, in the order of the data path. */
    static final String[] COMPONENTS = {EVENT_LOOPS, GATEWAY_KAFKA, KAFKA, APPROVAL, MODELS, LOAD, FLOOR, OTHER};

    public CpuProbe() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    public Snapshot snapshot() {
        Map<String, Long> byComponent = new TreeMap<>();
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long nanos = threads.getThreadCpuTime(ids[i]);
            if (infos[i] != null && nanos > 0) {
                byComponent.merge(componentOf(infos[i].getThreadName()), nanos, Long::sum);
            }
        }
        return new Snapshot(byComponent, processNanos());
    }

    /** This JVM's CPU time, every thread's (ended ones included); -1 when the JVM cannot say. */
    static long processNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** The table's header. */
    public static String header() {
        return CpuMeter.header("whole JVM", COMPONENTS);
    }

    static String componentOf(String threadName) {
        int bar = threadName.indexOf(" | ");
        if (bar >= 0) {
            return clientComponent(threadName.substring(bar + 3)); // a Kafka client's thread names its client id
        }
        for (Map.Entry<String, String> prefix : PREFIXES.entrySet()) {
            if (threadName.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return OTHER;
    }

    private static String clientComponent(String clientId) {
        if (clientId.startsWith("approval-worker")) {
            return APPROVAL;
        }
        if (clientId.startsWith("model-worker") || clientId.startsWith("model_worker")) {
            return MODELS;
        }
        if (clientId.startsWith("broker-")) {
            return GATEWAY_KAFKA;
        }
        return clientId.startsWith("producer-") ? FLOOR : OTHER; // the floor's producers are the unnamed ones
    }

    private static Map<String, String> prefixes() {
        Map<String, String> prefixes = new LinkedHashMap<>();
        prefixes.put("vert.x-eventloop", EVENT_LOOPS);
        prefixes.put("approval-worker", APPROVAL);
        prefixes.put("model-worker", MODELS);
        prefixes.put("model_worker", MODELS);
        prefixes.put("sampling-", GATEWAY_KAFKA);
        prefixes.put("floor-", FLOOR);
        prefixes.put("main", LOAD); // the open-loop sender
        for (String kafka : new String[] {"data-plane-kafka", "kafka-", "group-coordinator", "quorum-controller",
                "broker-", "raft", "ExpirationReaper", "executor-", "share-coordinator", "transaction-",
                "LogDirFailureHandler", "controller-"}) {
            prefixes.put(kafka, KAFKA); // the Kafka broker's and controller's own threads
        }
        return prefixes;
    }
}
