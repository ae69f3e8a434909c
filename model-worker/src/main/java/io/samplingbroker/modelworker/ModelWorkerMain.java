package io.samplingbroker.modelworker;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.service.ServiceRunner;

/**
 * Runs the model-worker until SIGTERM or Ctrl-C: {@code ModelWorkerMain [config.yaml]}; settings come from the file
 * (optional) and {@code SAMPLING_*} environment variables. A stop drains running calls and commits offsets. Exit
 * codes are the services' shared ones ({@link ServiceRunner}).
 */
public final class ModelWorkerMain {

    /** The default {@code management.port}: each service its own, so all can run on one machine. */
    static final int MANAGEMENT_PORT = 9403;

    private ModelWorkerMain() {
    }

    public static void main(String[] args) {
        ServiceRunner.main(Service.MODEL_WORKER, MANAGEMENT_PORT, args, ModelWorkerConfig::load, ModelWorker::start);
    }
}
