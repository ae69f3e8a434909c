package io.samplingbroker.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * What the end-to-end steps need of a stack, wherever its services run: in this JVM ({@link BenchStack}) or each in a
 * child JVM of its own ({@link ProcessStack}). Kafka and the registry live as long as the stack; the services, the
 * upstream servers and the host sessions from {@link #startServices} to {@link #stopServices}.
 */
public interface BenchServices extends AutoCloseable {

    /** A child process of the stack, for its CPU time and memory from /proc. */
    record Child(String kind, String name, long pid) {

        /**
         * The command a process guard ({@code ChildProcesses}) runs, from the guard's pid: its oldest child (the
         * others are the guard's {@code sleep}s). Apicurio names its guard's pid, whose CPU and memory are a shell's.
         */
        static Optional<Long> guarded(long guardPid) {
            return ProcessHandle.of(guardPid).flatMap(guard -> guard.children().min(Comparator.comparing(
                    (ProcessHandle p) -> p.info().startInstant().orElse(Instant.MAX)))).map(ProcessHandle::pid);
        }
    }

    /**
     * The services under {@code prefix} (fresh topics), the upstream servers and the connected host sessions.
     *
     * @param withModelWorker false leaves approved requests unanswered (the pending scenario)
     */
    void startServices(String prefix, boolean withModelWorker, Duration deadline, Prompts prompts) throws Exception;

    /** Stops the services (keeps Kafka and the registry for the next scenario). */
    void stopServices();

    McpUpstreamServer upstream();

    /** The 2026-07-28 host that calls the MRTR step's server through the broker(s). */
    SessionlessHost sessionlessHost();

    KafkaSettings settings();

    String bootstrapServers();

    /** Sampling requests the broker(s) hold waiting for their outcome now; blocking, never on an event loop. */
    int pendingCount();

    /** The services' sampling deadline (what a drain waits for at most). */
    Duration deadline();

    /** The stack's child processes now running (the registry, and in the separate-process mode every other part). */
    List<Child> children();

    /** How the CPU of a step is measured: per thread of this JVM, or per process. */
    CpuMeter cpuMeter();

    /** Spans the services exported so far; 0 without tracing. */
    long spansExported();

    @Override
    void close();
}
