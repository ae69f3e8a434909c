package io.samplingbroker.approval;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.config.ConfigException;

import io.samplingbroker.approval.policy.PolicyFileException;
import io.samplingbroker.runtime.ConfigFileException;

/**
 * Runs the approval-worker until SIGTERM or Ctrl-C. Argument: an optional YAML configuration file; every setting
 * can also come from the environment ({@code SAMPLING_POLICY_FILE}, {@code SAMPLING_KAFKA_BOOTSTRAP_SERVERS}, ...).
 * Exit status 2 for a configuration or policy error, 1 when it cannot start.
 */
public final class ApprovalWorkerMain {

    /** Our logging setup, under its own name so it cannot shadow (or be shadowed by) an embedding application's. */
    static final String LOG_CONFIG = "approval-worker-log4j2.xml";

    private ApprovalWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        if (args.length > 1) {
            System.err.println("usage: ApprovalWorkerMain [config.yaml]");
            System.exit(2);
        }
        ApprovalWorker worker;
        try {
            ApprovalWorkerConfig config = ApprovalWorkerConfig.load(args.length == 1 ? Path.of(args[0]) : null,
                    System.getenv());
            worker = ApprovalWorker.start(config);
        } catch (ConfigFileException | ConfigException | PolicyFileException e) {
            System.err.println("approval-worker: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("approval-worker cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "approval-worker-stop"));
        stopped.await();
    }
}
