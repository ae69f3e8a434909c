package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import io.samplingbroker.testsupport.FaultLoad;

/**
 * Faults under load, every part its own process ({@link FaultStack}): one fault at a time strikes while the upstream
 * server asks for sampling at a steady rate over host sessions on both gateways, the part comes back, and the
 * requests of the phase are counted (sent, answered, each error code, lost, duplicated, recovery) and the whole
 * history so far is verified by the audit. The counts are asserted; recovery is reported. {@code mvn verify} runs
 * three faults; {@code -Pfaults} runs every one ({@code -Dfaults.long=true}). The table goes to the output and to
 * {@code target/fault-table.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultSuiteIT {

    private static final int RATE = 8;
    private static final Duration PHASE = Duration.ofSeconds(30);
    private static final Duration FAULT_AFTER = Duration.ofSeconds(8);
    /** The upstream server's own patience: a request without an answer by then is lost. */
    private static final Duration PATIENCE = FaultStack.DEADLINE.plusSeconds(10);
    /** An answer later than this after its request is not "flowing at the offered rate". */
    private static final Duration HEALTHY = Duration.ofSeconds(3);
    private static final boolean LONG_FORM = Boolean.getBoolean("faults.long");

    /** One step of a fault, on the running stack. */
    @FunctionalInterface
    private interface Step {
        void run(FaultStack stack) throws Exception;
    }

    /**
     * One fault: what strikes, and how the part comes back.
     *
     * @param graceful a clean stop, which must cost no request an error (it drains)
     */
    private record Fault(String name, Step strike, Step recover, boolean graceful) {
        Fault(String name, Step strike, Step recover) {
            this(name, strike, recover, false);
        }
    }

    private final List<FaultRow> rows = new ArrayList<>();
    private Path dir;
    private FaultStack stack;

    @BeforeAll
    void startTheStack() throws Exception {
        dir = Files.createTempDirectory("sampling-faults-");
        stack = FaultStack.start(dir, 2, PATIENCE);
        // a first phase without a fault: the baseline every row is read against
        rows.add(phase(new Fault("none (baseline)", s -> { }, s -> { })));
    }

    @AfterAll
    void printTheTable() throws Exception {
        try {
            String table = FaultRow.table(rows);
            System.out.println("\nFault table (" + RATE + " requests/s, " + PHASE.toSeconds() + " s per fault, fault at "
                    + FAULT_AFTER.toSeconds() + " s):\n" + table);
            Path out = Path.of("target", "fault-table.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table);
        } finally {
            stack.close();
        }
    }

    private static List<Fault> faults() {
        List<Fault> faults = new ArrayList<>(List.of(
                new Fault("model-worker killed (-9)", s -> s.service("model-worker-1").kill(),
                        s -> s.restart("model-worker-1")),
                new Fault("broker killed (-9), restarted", s -> s.service("broker-1").kill(),
                        s -> s.restartBroker("broker-1", 2)),
                new Fault("Kafka node killed (-9), restarted", s -> s.kafka.kill(2), s -> {
                    s.kafka.restart(2);
                    s.kafka.awaitNodes(3, Duration.ofSeconds(60));
                })));
        if (LONG_FORM) {
            faults.addAll(List.of(
                    new Fault("approval-worker killed (-9)", s -> s.service("approval-worker-1").kill(),
                            s -> s.restart("approval-worker-1")),
                    new Fault("model-worker stopped (SIGTERM)", s -> terminate(s, "model-worker-2"),
                            s -> s.restart("model-worker-2"), true),
                    new Fault("approval-worker stopped (SIGTERM)", s -> terminate(s, "approval-worker-2"),
                            s -> s.restart("approval-worker-2"), true),
                    new Fault("review console killed (-9)", s -> s.service("review-console").kill(),
                            s -> s.restart("review-console")),
                    new Fault("review console stopped (SIGTERM)", s -> terminate(s, "review-console"),
                            s -> s.restart("review-console"), true),
                    new Fault("registry killed (-9), restarted", s -> s.registry.kill(), s -> s.registry.start()),
                    new Fault("provider hangs 10 s", s -> s.provider.hang(), s -> {
                        sleep(Duration.ofSeconds(10));
                        s.provider.resume();
                    }),
                    new Fault("Kafka cluster down 10 s (all nodes -9)", s -> s.kafka.killAll(), s -> {
                        sleep(Duration.ofSeconds(10));
                        s.kafka.restartAll();
                    }),
                    new Fault("broker stopped (SIGTERM), restarted", s -> terminate(s, "broker-2"),
                            s -> s.restartBroker("broker-2", 2))));
        }
        return faults;
    }

    private static void terminate(FaultStack stack, String name) {
        assertThat(stack.service(name).terminate(Duration.ofSeconds(60))).as(name + "'s exit code").isZero();
    }

    @TestFactory
    Stream<DynamicTest> givenSteadyLoad_whenOnePartFailsAndComesBack_thenNothingIsLostOrDuplicated() {
        return faults().stream().map(fault -> DynamicTest.dynamicTest(fault.name(), () -> {
            FaultRow row = phase(fault);
            rows.add(row);
            System.out.println(FaultRow.table(List.of(row)));
            assertThat(row.tally().lost()).as("lost in " + fault.name()).isZero();
            assertThat(row.tally().duplicated()).as("answered twice in " + fault.name()).isZero();
            assertThat(row.tally().misrouted()).as("answered on another session in " + fault.name()).isZero();
            assertThat(row.providerRepeatsAfterCompletion()).as("provider called again after its completion was"
                    + " recorded, in " + fault.name()).isZero();
            assertThat(row.tally().sent()).as("requests sent in " + fault.name()).isEqualTo(RATE * PHASE.toSeconds());
            if (fault.graceful()) {
                assertThat(row.tally().errors()).as("errors in " + fault.name()).isEmpty();
            }
            assertThat(row.notSent()).as("requests with no session to go on in " + fault.name()).isZero();
            assertThat(row.verify()).as("audit verify after " + fault.name()).isEqualTo("passes");
        }));
    }

    /** Runs one phase of load with {@code fault} striking in it, waits for its answers, and counts them. */
    private FaultRow phase(Fault fault) throws Exception {
        long notSentBefore = stack.load.notSent();
        CompletableFuture<FaultLoad.Phase> load = CompletableFuture.supplyAsync(
                () -> stack.load.run(stack.upstream, stack.sessionlessHost, RATE, PHASE));
        sleep(FAULT_AFTER);
        long struck = System.nanoTime();
        fault.strike().run(stack);
        fault.recover().run(stack);
        FaultLoad.Phase sent = load.join();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!stack.load.settled(sent, PATIENCE) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(250));
        }
        FaultLoad.Tally tally = stack.load.tally(stack::ended, sent, struck, PATIENCE, HEALTHY);
        ProviderCalls calls = ProviderCalls.of(stack, sent);
        return new FaultRow(fault.name(), tally, stack.load.notSent() - notSentBefore, calls.repeated(),
                calls.repeatedAfterCompletion(), verify());
    }

    private String verify() {
        // no grace: every request past its deadline has its terminal event, those of a killed broker too
        AuditHistory.Output verified = AuditHistory.audit("verify", "--grace", "0s", "--bootstrap-servers",
                stack.bootstrapServers(), "--registry-url", stack.registryUrl(), "--topic-prefix", stack.prefix());
        if (verified.status() == 0) {
            return "passes";
        }
        String problems = Stream.of(verified.out(), verified.err()).flatMap(String::lines)
                .filter(line -> !line.isBlank()).limit(3).collect(Collectors.joining("; "));
        return "fails (exit " + verified.status() + "): " + problems;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

}
