package io.samplingbroker.processguard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Child processes (a registry, an upstream stdio server, a service of the fault harness) that end when their parent
 * does, however it ends: a kill -9 of the parent runs no shutdown hook and closes no stream a child must notice
 * (server-everything, for one, keeps running with its input closed).
 *
 * <p>The child runs under a small POSIX shell guard: the guard starts the command with its own standard input and
 * output (so a stdio server speaks to the parent as before, and the guard holds neither pipe), passes SIGTERM on, and
 * checks every second that the parent is alive; once it is not, it sends the command SIGTERM and, 3 s later, SIGKILL.
 * The guard exits with the command's exit status. Linux and macOS have {@code /bin/sh}; nothing else is needed.
 */
public final class ChildProcesses {

    // $1 is the parent's pid, the rest the command; the guard gives up its copies of the pipes so that the parent
    // sees the command's end of output when the command exits, not a second later when the guard does
    private static final String GUARD = """
            parent=$1; shift
            exec 3<&0
            "$@" <&3 3<&- &
            child=$!
            exec 3<&- 0</dev/null 1>/dev/null
            trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
            while kill -0 "$child" 2>/dev/null; do
              if ! kill -0 "$parent" 2>/dev/null; then
                kill -TERM "$child" 2>/dev/null
                sleep 3
                kill -KILL "$child" 2>/dev/null
                break
              fi
              sleep 1
            done
            wait "$child"
            """;

    private ChildProcesses() {
    }

    /**
     * Starts {@code builder}'s command under a guard that ends it when this JVM ends. A command that cannot be run
     * (no such file, not executable, not on the {@code PATH} of the builder's environment) fails here, as starting it
     * directly would, rather than as a guard that exits at once with status 127.
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        List<String> command = List.copyOf(builder.command());
        requireExecutable(command.get(0), builder.environment().get("PATH"), builder.directory());
        builder.command(diesWithThisProcess(command));
        return builder.start();
    }

    private static void requireExecutable(String program, String path, File directory) throws IOException {
        if (program.contains("/")) {
            Path file = directory == null || Path.of(program).isAbsolute() ? Path.of(program)
                    : directory.toPath().resolve(program);
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                throw new IOException("Cannot run program \"" + program + "\": no such executable file");
            }
            return;
        }
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return;
            }
        }
        throw new IOException("Cannot run program \"" + program + "\": not found on the PATH");
    }

    /** {@code command} under a guard that ends it when this JVM ends. */
    private static List<String> diesWithThisProcess(List<String> command) {
        return diesWith(ProcessHandle.current().pid(), command);
    }

    /** {@code command} under a guard that ends it when the process {@code parentPid} ends. */
    public static List<String> diesWith(long parentPid, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("A child process needs a command");
        }
        List<String> guarded = new ArrayList<>(List.of("/bin/sh", "-c", GUARD, "child-guard", Long.toString(parentPid)));
        guarded.addAll(command);
        return guarded;
    }

    /**
     * The command a guard runs, to signal it alone (kill -9 of a service, as the fault suite does): the guard's
     * oldest child, as the guard also starts a short {@code sleep} each second. Empty once the command has ended.
     */
    public static Optional<ProcessHandle> command(Process guard) {
        return guard.children().min(Comparator.comparing((ProcessHandle p) -> p.info().startInstant()
                .orElse(Instant.MAX)).thenComparingLong(ProcessHandle::pid));
    }

    /**
     * Stops a child and everything it started: SIGTERM to all of them, SIGKILL to what is left after {@code grace}.
     * Blocking (up to {@code grace} and 5 s more): never call it on an event loop.
     *
     * @return whether the child had ended by the time this returned
     */
    public static boolean stop(Process process, Duration grace) {
        // taken before the process ends: once it exits, its children are no longer its descendants
        List<ProcessHandle> family = process.descendants().toList();
        family.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                family.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            family.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return !process.isAlive();
    }
}
