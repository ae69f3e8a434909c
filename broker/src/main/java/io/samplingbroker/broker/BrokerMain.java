package io.samplingbroker.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.samplingbroker.runtime.ConfigSource;

/**
 * Runs the broker's MCP gateway as a service: {@code BrokerMain [config.yaml]}. Settings come from the file, then
 * from {@code SAMPLING_*} environment variables.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : null;
        BrokerConfig config = BrokerConfig.fromSettings(ConfigSource.load(file, System.getenv()));
        Broker broker = Broker.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-stop"));
        for (String server : config.servers().keySet()) {
            System.out.println("MCP endpoint for '" + server + "': " + broker.mcpUrl(server));
        }
        stopped.await();
    }
}
