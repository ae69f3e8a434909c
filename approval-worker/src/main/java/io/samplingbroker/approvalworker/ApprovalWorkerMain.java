package io.samplingbroker.approvalworker;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.service.ServiceRunner;

/**
 * Runs the approval-worker until SIGTERM or Ctrl-C: {@code ApprovalWorkerMain [config.yaml]}; every setting can also
 * come from the environment ({@code SAMPLING_POLICY_FILE}, {@code SAMPLING_KAFKA_BOOTSTRAP_SERVERS}, ...). Exit
 * codes are the services' shared ones ({@link ServiceRunner}); a policy that does not load is a configuration error.
 */
public final class ApprovalWorkerMain {

    /** The default {@code management.port}: each service its own, so all can run on one machine. */
    static final int MANAGEMENT_PORT = 9402;

    /** Our logging setup, under its own name so it cannot shadow (or be shadowed by) an embedding application's. */
    static final String LOG_CONFIG = "approval-worker-log4j2.xml";

    private ApprovalWorkerMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        ServiceRunner.main(Service.APPROVAL_WORKER, MANAGEMENT_PORT, args, ApprovalWorkerConfig::load,
                ApprovalWorker::start);
    }
}
