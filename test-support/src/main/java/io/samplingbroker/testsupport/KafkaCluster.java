package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import io.samplingbroker.embeddedinfra.KafkaNodeMain;
import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.processguard.ChildProcesses;

/**
 * A Kafka cluster of combined broker-controller nodes, each its own OS process ({@link KafkaNodeMain}) on fixed
 * loopback ports, so that one node (or all) can be killed with -9 and started again on its data, as in production.
 * Every partition has a copy on every node, and writes need all but one ({@code min.insync.replicas} = nodes - 1).
 * Plaintext: the fault suite measures what a crash does, the secured paths are the other suites'.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Duration NODE_START = Duration.ofSeconds(90);

    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final List<Integer> brokerPorts;
    private final List<Integer> controllerPorts;
    private final Process[] nodes;
    private final List<String> jvmFlags;

    /** The tests' node JVM: small, quick to start (C1 only, serial GC), for a fault suite of many restarts. */
    public static final List<String> TEST_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private KafkaCluster(Path dir, int size, List<String> jvmFlags) {
        this.dir = dir;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.brokerPorts = IntStream.range(0, size).map(i -> LoopbackPorts.freePort()).boxed().toList();
        this.controllerPorts = IntStream.range(0, size).map(i -> LoopbackPorts.freePort()).boxed().toList();
        this.nodes = new Process[size];
    }

    /** Starts {@code size} nodes with their data under {@code dir} and waits until all of them are in the cluster. */
    public static KafkaCluster start(int size, Path dir) {
        return start(size, dir, TEST_JVM);
    }

    /** The same, each node's JVM started with {@code jvmFlags} (the benchmark's: a full JIT and G1). */
    public static KafkaCluster start(int size, Path dir, List<String> jvmFlags) {
        KafkaCluster cluster = new KafkaCluster(dir, size, jvmFlags);
        try {
            for (int i = 0; i < size; i++) {
                cluster.launch(i);
            }
            cluster.awaitNodes(size, NODE_START);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return brokerPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.length;
    }

    /**
     * The JVM pid of node {@code index} (0-based; not its guard's), for reading its CPU time and memory from /proc;
     * empty when the node is not running.
     */
    public Optional<Long> pid(int index) {
        Process guard = nodes[index];
        return guard == null ? Optional.empty() : ChildProcesses.command(guard).map(ProcessHandle::pid);
    }

    /** kill -9 of node {@code index} (0-based): no clean shutdown, no leadership handed over. */
    public void kill(int index) {
        Process guard = nodes[index];
        ChildProcesses.command(guard).ifPresent(ProcessHandle::destroyForcibly);
        try {
            if (!guard.waitFor(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Kafka node " + (index + 1) + " did not die; see " + log(index));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing Kafka node " + (index + 1), e);
        }
    }

    /** kill -9 of every node at once: the whole cluster down. */
    public void killAll() {
        for (int i = 0; i < nodes.length; i++) {
            kill(i);
        }
    }

    /** Starts every node again on its data (together: a node alone has no quorum); returns once all are back. */
    public void restartAll() {
        for (int i = 0; i < nodes.length; i++) {
            launch(i);
        }
        awaitNodes(nodes.length, NODE_START);
    }

    /** Starts node {@code index} again on its data and ports; returns once its broker port answers. */
    public void restart(int index) {
        launch(index);
        awaitListening(index, NODE_START);
    }

    /** Waits until {@code count} nodes are registered brokers of the cluster. */
    public void awaitNodes(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000"))) {
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < nodes.length; i++) {
                    if (nodes[i] != null && !nodes[i].isAlive()) {
                        throw new IllegalStateException("Kafka node " + (i + 1) + " exited with code "
                                + nodes[i].exitValue() + "; see " + log(i));
                    }
                }
                try {
                    int registered = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (registered >= count) {
                        return;
                    }
                    last = registered + " node(s)";
                } catch (Exception e) {
                    last = e.toString();
                }
                Polling.pause(Duration.ofMillis(250));
            }
        }
        throw new IllegalStateException("The Kafka cluster did not have " + count + " nodes within "
                + timeout.toSeconds() + " s (last: " + last + "); see the logs in " + dir);
    }

    private void launch(int index) {
        int nodeId = index + 1;
        String voters = IntStream.range(0, nodes.length).mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName(),
                dir.resolve("node-" + nodeId).toString(), Integer.toString(nodeId),
                Integer.toString(brokerPorts.get(index)), Integer.toString(controllerPorts.get(index)), clusterId,
                voters));
        try {
            Files.createDirectories(dir);
            nodes[index] = ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(index).toFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka node " + nodeId, e);
        }
    }

    private void awaitListening(int index, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!nodes[index].isAlive()) {
                throw new IllegalStateException("Kafka node " + (index + 1) + " exited with code "
                        + nodes[index].exitValue() + "; see " + log(index));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", brokerPorts.get(index)), 500);
                return;
            } catch (IOException notYet) {
                Polling.pause(Duration.ofMillis(200));
            }
        }
        throw new IllegalStateException("Kafka node " + (index + 1) + " did not listen within " + timeout.toSeconds()
                + " s; see " + log(index));
    }

    private Path log(int index) {
        return dir.resolve("node-" + (index + 1) + ".log");
    }

    /**
     * Kills every node: the cluster is thrown away with its test, and a clean shutdown of the last nodes, which have
     * lost their quorum, only waits for its timeouts. The data directory stays for the logs.
     */
    @Override
    public void close() {
        for (Process node : nodes) {
            if (node != null && node.isAlive()) {
                node.children().forEach(ProcessHandle::destroyForcibly);
            }
        }
        for (Process node : nodes) {
            if (node != null && node.isAlive()) {
                ChildProcesses.stop(node, Duration.ofSeconds(15));
            }
        }
    }
}
