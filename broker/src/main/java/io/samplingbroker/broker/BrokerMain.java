package io.samplingbroker.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.service.ServiceRunner;

/**
 * Runs the broker's MCP gateway as a service until SIGTERM or Ctrl-C: {@code BrokerMain [config.yaml]}. Settings
 * come from the file, then from {@code SAMPLING_*} environment variables. Exit codes are the services' shared ones
 * ({@link ServiceRunner}); the broker also stops (exit 1) when its result reader dies, rather than accept requests
 * it could never answer.
 */
public final class BrokerMain {

    /** The default {@code management.port}: each service its own, so all can run on one machine. */
    static final int MANAGEMENT_PORT = 9401;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerMain.class);

    private BrokerMain() {
    }

    public static void main(String[] args) {
        ServiceRunner.main(Service.BROKER, MANAGEMENT_PORT, args, BrokerConfig::load, (config, telemetry) -> {
            Broker broker = Broker.start(config, telemetry);
            for (String server : config.servers().keySet()) {
                // logged, not printed: in the JSON layout every line of the output is one JSON object
                LOG.info("MCP endpoint for '{}': {}", server, broker.mcpUrl(server));
            }
            return broker;
        });
    }
}
