package io.samplingbroker.reviewconsole;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.service.ServiceRunner;

/**
 * Runs the review console until SIGTERM or Ctrl-C: {@code ReviewConsoleMain [config.yaml]}; every setting can also
 * come from the environment ({@code SAMPLING_REVIEW_CONSOLE_PORT}, {@code SAMPLING_KAFKA_BOOTSTRAP_SERVERS}, ...).
 * Exit codes are the services' shared ones ({@link ServiceRunner}).
 */
public final class ReviewConsoleMain {

    /** The default {@code management.port}: each service its own, so all can run on one machine. */
    static final int MANAGEMENT_PORT = 9404;

    /** Our logging setup, under its own name so it cannot shadow (or be shadowed by) an embedding application's. */
    static final String LOG_CONFIG = "review-console-log4j2.xml";

    private ReviewConsoleMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        ServiceRunner.main(Service.REVIEW_CONSOLE, MANAGEMENT_PORT, args, ReviewConsoleServiceConfig::load,
                ReviewConsole::start);
    }
}
