package io.samplingbroker.processguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The guard of {@link ChildProcesses} with real processes: a parent killed with -9, pipes, exit codes, a tree. */
class ChildProcessesIT {

    @Test
    void givenAGuardedChild_whenItsParentIsKilledWithMinus9_thenTheChildEndsWithinSeconds() throws Exception {
        // Given a stand-in parent, and a child that would otherwise run for ten minutes
        Process parent = new ProcessBuilder("sleep", "600").start();
        Process guard = new ProcessBuilder(ChildProcesses.diesWith(parent.pid(), List.of("sleep", "600"))).start();
        ProcessHandle child = awaitChild(guard);
        assertThat(child.isAlive()).isTrue();
        // When
        parent.destroyForcibly();
        // Then: the child got SIGTERM within the guard's next check
        assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(guard.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void givenAGuardedStdioChild_whenSpokenTo_thenItsPipesAreTheParentsAndTheGuardHoldsNeither()
            throws Exception {
        Process guard = ChildProcesses.start(new ProcessBuilder(List.of("cat")));
        BufferedReader out = new BufferedReader(new InputStreamReader(guard.getInputStream(), StandardCharsets.UTF_8));

        guard.getOutputStream().write("hello through the guard\n".getBytes(StandardCharsets.UTF_8));
        guard.getOutputStream().flush();
        String echoed = out.readLine();
        // the guard's own output is /dev/null, so the parent's end of output is the child's alone
        Path guardOutput = Path.of("/proc", Long.toString(guard.pid()), "fd", "1");
        if (Files.exists(Path.of("/proc/self/fd"))) {
            assertThat(Files.readSymbolicLink(guardOutput)).isEqualTo(Path.of("/dev/null"));
        }
        guard.getOutputStream().close(); // cat ends on end of input
        String after = out.readLine();

        assertThat(echoed).isEqualTo("hello through the guard");
        assertThat(after).as("end of output").isNull();
        assertThat(guard.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(guard.exitValue()).isZero();
    }

    @Test
    void givenAGuardedChildThatFails_whenItExits_thenTheGuardExitsWithItsStatus() throws Exception {
        Process guard = ChildProcesses.start(new ProcessBuilder(List.of("sh", "-c", "exit 7")));

        assertThat(guard.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(guard.exitValue()).isEqualTo(7);
    }

    @Test
    void givenAGuardedChild_whenStopped_thenItAndTheGuardEnd() throws Exception {
        Process guard = ChildProcesses.start(new ProcessBuilder(List.of("sleep", "600")));
        ProcessHandle child = awaitChild(guard);

        boolean stopped = ChildProcesses.stop(guard, Duration.ofSeconds(5));

        assertThat(stopped).isTrue();
        assertThat(child.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void givenAGuardedChildRunningForSeconds_whenItsCommandIsAskedFor_thenItIsTheCommandNotTheGuardsOwnSleep()
            throws Exception {
        // the guard starts a `sleep 1` every second beside the command: killing that one instead (as picking any
        // child did) left a service running that the fault suite meant to kill
        Process guard = ChildProcesses.start(new ProcessBuilder(List.of("sleep", "600")));
        awaitChild(guard);
        boolean sleepBeside = false;
        for (int i = 0; i < 30; i++) {
            sleepBeside |= guard.children().count() > 1;
            assertThat(ChildProcesses.command(guard)).hasValueSatisfying(command ->
                    assertThat(command.info().arguments()).hasValue(new String[] {"600"}));
            Thread.sleep(100);
        }
        assertThat(sleepBeside).as("the guard's own sleep ran beside the command").isTrue();
        ChildProcesses.stop(guard, Duration.ofSeconds(5));
    }

    @Test
    void givenACommandThatCannotRun_whenStarted_thenItFailsAtOnceNamingIt() {
        assertThatThrownBy(() -> ChildProcesses.start(new ProcessBuilder("/nonexistent/mcp-server")))
                .isInstanceOf(IOException.class).hasMessage("Cannot run program \"/nonexistent/mcp-server\": no such"
                        + " executable file");
        assertThatThrownBy(() -> ChildProcesses.start(new ProcessBuilder("no-such-program-on-the-path")))
                .isInstanceOf(IOException.class).hasMessageContaining("not found on the PATH");
    }

    private static ProcessHandle awaitChild(Process guard) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = ChildProcesses.command(guard);
            if (child.isPresent()) {
                return child.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The guard started no child");
    }
}
