package io.samplingbroker.model;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.kafka.common.KafkaException;

/**
 * Runs the model-worker as a process: {@code ModelWorkerMain [config.yaml]}. Settings come from the file (optional)
 * and {@code SAMPLING_*} environment variables. SIGTERM or Ctrl-C stops it cleanly (running calls drain, offsets are
 * committed; the JVM then exits with its usual 143 or 130). Exit status 1 when the worker could not start or failed,
 * 2 for a configuration error.
 */
public final class ModelWorkerMain {

    private ModelWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 1) {
            System.err.println("Usage: ModelWorkerMain [config.yaml]");
            System.exit(2);
        }
        ModelWorkerConfig config;
        try {
            config = ModelWorkerConfig.load(args.length == 1 ? Path.of(args[0]) : null, System.getenv());
        } catch (IllegalArgumentException | KafkaException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        ModelWorker worker;
        try {
            worker = ModelWorker.start(config);
        } catch (KafkaException e) {
            System.err.println("The model worker could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Thread stopper = new Thread(worker::close, "model-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        while (!worker.awaitTermination(Duration.ofSeconds(1))) {
            // wait for a signal or a failure
        }
        if (worker.failure() != null) {
            worker.close();
            System.exit(1);
        }
    }
}
