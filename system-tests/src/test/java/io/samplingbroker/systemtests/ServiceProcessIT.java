package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.modelworker.ModelWorkerMain;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.ServiceProcess;

/**
 * A service as its own OS process, as the fault suite runs it: a model-worker started from the built classes with only
 * its environment, ready on its management port, stopped by SIGTERM with exit code 0 and killed by -9.
 */
@ExtendWith(KafkaStackExtension.class)
class ServiceProcessIT {

    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void givenAModelWorkerProcess_whenStartedThenStoppedAndKilled_thenItsHealthAndExitCodesSaySo(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null,
                EndToEndIT.stdioEverything(), 1, Duration.ofSeconds(30))) {
            // Given a second model-worker of the stack's group, in its own JVM
            try (ServiceProcess worker = ServiceProcess.start("model-worker-2", ModelWorkerMain.class.getName(),
                    services.modelWorkerEnvironment(), dir.resolve("logs"))) {
                // When it has joined, then its health says ready
                worker.awaitReady(START);
                // and SIGTERM stops it cleanly: exit code 0, health gone
                assertThat(worker.terminate(Duration.ofSeconds(60))).isZero();
                assertThat(worker.ready()).isFalse();
            }
            try (ServiceProcess worker = ServiceProcess.start("model-worker-3", ModelWorkerMain.class.getName(),
                    services.modelWorkerEnvironment(), dir.resolve("logs"))) {
                worker.awaitReady(START);
                // kill -9: no shutdown hook runs, the JVM's status is 128 + 9
                assertThat(worker.kill()).isEqualTo(128 + 9);
                assertThat(worker.alive()).isFalse();
                assertThat(worker.ready()).isFalse();
            }
        }
    }
}
