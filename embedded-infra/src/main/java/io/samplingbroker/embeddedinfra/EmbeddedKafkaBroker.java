package io.samplingbroker.embeddedinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka broker (combined KRaft controller and broker) running inside this JVM.
 *
 * <p>Storage is formatted with Kafka's own {@code StorageTool} on first start; a later start on the same directory
 * keeps the data, so a dev stack survives restarts. Broker threads are not daemons: always {@link #close()} it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Settings settings;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;
    private boolean formatted;

    /**
     * How to run the broker.
     *
     * @param dataDir where the log and metadata live; created if missing
     * @param brokerPort client port, 0 for a free one
     * @param controllerPort KRaft controller port, 0 for a free one
     * @param deleteOnClose remove {@code dataDir} on close (tests) or keep it (dev stack)
     * @param overrides broker settings applied last
     * @param security TLS, SCRAM users and the standard authorizer ({@link KafkaSecurity}), or null for a plaintext
     *     broker that lets every client do everything (the benchmark's, which measures the pipeline, not TLS)
     * @param quorum this node's place in a cluster of several, or null for a cluster of this node alone
     */
    public record Settings(Path dataDir, int brokerPort, int controllerPort, boolean deleteOnClose,
            Map<String, String> overrides, KafkaSecurity security, Quorum quorum) {
        public Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            if (brokerPort < 0 || brokerPort > 65535 || controllerPort < 0 || controllerPort > 65535) {
                throw new IllegalArgumentException("ports must be in 0..65535, got " + brokerPort + " and " + controllerPort);
            }
            if (quorum != null && (brokerPort == 0 || controllerPort == 0)) {
                throw new IllegalArgumentException("a node of a cluster needs fixed ports: the others name its"
                        + " controller port, and a restarted node must come back where it was");
            }
            overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
        }

        /** A cluster of this node alone. */
        public Settings(Path dataDir, int brokerPort, int controllerPort, boolean deleteOnClose,
                Map<String, String> overrides, KafkaSecurity security) {
            this(dataDir, brokerPort, controllerPort, deleteOnClose, overrides, security, null);
        }

        /** A throw-away plaintext broker in a temporary directory on free ports. */
        public static Settings ephemeral() {
            try {
                return new Settings(Files.createTempDirectory("sampling-broker-kafka-"), 0, 0, true, Map.of(), null);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary Kafka data directory", e);
            }
        }

        /** The same broker secured: certificates and users kept in {@code <dataDir>/security}. */
        public Settings secured() {
            return new Settings(dataDir, brokerPort, controllerPort, deleteOnClose, overrides,
                    KafkaSecurity.in(dataDir.resolve("security")), quorum);
        }
    }

    /**
     * One node's place in a cluster of combined broker-controller nodes: every node is a voter, and all are formatted
     * with the same cluster id.
     *
     * @param nodeId this node's id, one of {@code voters}
     * @param clusterId the id every node's storage is formatted with
     * @param voters {@code <id>@127.0.0.1:<controller port>} of every node, comma-separated
     */
    public record Quorum(int nodeId, String clusterId, String voters) {
        public Quorum {
            Objects.requireNonNull(clusterId, "clusterId");
            Objects.requireNonNull(voters, "voters");
            if (!List.of(voters.split(",")).stream().anyMatch(voter -> voter.startsWith(nodeId + "@"))) {
                throw new IllegalArgumentException("node " + nodeId + " is not one of the voters " + voters);
            }
        }
    }

    public EmbeddedKafkaBroker(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.brokerPort = settings.brokerPort() == 0 ? LoopbackPorts.freePort() : settings.brokerPort();
        this.controllerPort = settings.controllerPort() == 0 ? LoopbackPorts.freePort() : settings.controllerPort();
    }

    /** Formats storage if needed and starts the broker; returns when it accepts clients. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        Properties props = brokerProperties();
        formatStorageIfNeeded(props);
        KafkaRaftServer raftServer = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            raftServer.startup();
        } catch (RuntimeException e) {
            raftServer.shutdown();
            throw new IllegalStateException("Embedded Kafka did not start on " + bootstrapServers(), e);
        }
        server = raftServer;
        LOG.info("Embedded Kafka ready at {} in {} ms (data in {})", bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, settings.dataDir());
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /**
     * Whether its last start formatted the storage: a new, empty cluster, so state kept beside it from an earlier one
     * (a Kafka Streams state directory) no longer matches it.
     */
    public synchronized boolean formattedStorage() {
        return formatted;
    }

    /** Its users and certificates, or null for a plaintext broker. */
    public KafkaSecurity security() {
        return settings.security();
    }

    private Properties brokerProperties() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        Quorum quorum = settings.quorum();
        props.put("node.id", Integer.toString(quorum == null ? 1 : quorum.nodeId()));
        props.put("controller.quorum.voters", quorum == null ? "1@127.0.0.1:" + controllerPort : quorum.voters());
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", settings.dataDir().resolve("log").toString());
        props.put("num.partitions", "1");
        // every node holds a copy of every partition; one node may be lost without refusing writes (acks=all)
        String replicas = Integer.toString(quorum == null ? 1 : quorum.voters().split(",").length);
        String minInSync = Integer.toString(Math.max(1, Integer.parseInt(replicas) - 1));
        props.put("default.replication.factor", replicas);
        props.put("min.insync.replicas", minInSync);
        props.put("offsets.topic.replication.factor", replicas);
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", minInSync);
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", minInSync);
        // A single member joins a group at once instead of waiting 3 s for others.
        props.put("group.initial.rebalance.delay.ms", "0");
        // The project creates its topics explicitly; a typo must fail, not create a topic.
        props.put("auto.create.topics.enable", "false");
        if (settings.security() != null) {
            props.putAll(settings.security().brokerSettings(brokerPort, controllerPort));
        }
        props.putAll(settings.overrides());
        return props;
    }

    private void formatStorageIfNeeded(Properties props) {
        formatted = false;
        Path dir = settings.dataDir();
        Path configFile = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
            try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                props.store(writer, "Written by EmbeddedKafkaBroker; regenerated at every start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka data directory " + dir, e);
        }
        Path securedMarker = dir.resolve("formatted-with-users");
        if (Files.exists(dir.resolve("log").resolve("meta.properties"))) {
            if (settings.security() == null || Files.exists(securedMarker)) {
                return; // formatted by an earlier start: keep its cluster id and data
            }
            // formatted before it was secured: its metadata has no users, so nobody could sign in
            LOG.warn("Kafka data in {} was made without users; formatting it again (its topics are lost)", dir);
            Directories.deleteRecursively(dir.resolve("log"));
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String clusterId = settings.quorum() == null ? Uuid.randomUuid().toString() : settings.quorum().clusterId();
        List<String> args = new ArrayList<>(List.of("format", "--cluster-id", clusterId, "--config",
                configFile.toString()));
        if (settings.security() != null) {
            args.addAll(settings.security().formatArguments());
        }
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args.toArray(String[]::new), out);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + dir + " failed (exit " + exitCode + "): "
                    + output.toString(StandardCharsets.UTF_8).strip().replaceAll("password=[^\\]]*", "password=***"));
        }
        formatted = true;
        if (settings.security() != null) {
            try {
                Files.writeString(securedMarker, "formatted with SCRAM users\n");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot mark " + dir + " as formatted", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } finally {
                server = null;
            }
        }
        if (settings.deleteOnClose()) {
            Directories.deleteRecursively(settings.dataDir());
        }
    }
}
