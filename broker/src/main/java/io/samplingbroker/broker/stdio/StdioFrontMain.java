package io.samplingbroker.broker.stdio;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.samplingbroker.broker.BrokerConfig;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.Telemetry;
import io.samplingbroker.serviceruntime.tracing.ServiceTracing;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;

/**
 * {@code StdioFrontMain [--config broker.yaml] [--server-name NAME] [--host-id HOST] -- COMMAND [ARGS...]}: what a host
 * such as Claude Desktop or Cursor runs instead of the server. Kafka and registry settings come from the config file
 * and {@code SAMPLING_*} environment variables; logs go to stderr, stdout belongs to the protocol.
 */
public final class StdioFrontMain {

    private StdioFrontMain() {
    }

    public static void main(String[] args) throws Exception {
        // Anything printed by accident must not corrupt the protocol stream.
        PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Path configFile = null;
        String serverName = null;
        String hostId = null;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
                case "--server-name" -> serverName = value(args, ++i, "--server-name");
                case "--host-id" -> hostId = value(args, ++i, "--host-id");
                case "--" -> {
                    command.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        if (command.isEmpty()) {
            usage("the server command is missing after --");
        }
        Map<String, String> settings = new java.util.HashMap<>(ConfigSource.load(configFile, System.getenv()));
        // A local process: the identity is --host-id (or clientInfo), and no HTTP gateway listens to authenticate.
        settings.put("broker.auth.mode", "none");
        settings.put("broker.http.host", "127.0.0.1");
        BrokerConfig config = BrokerConfig.fromSettings(settings);
        String name = serverName != null ? serverName : Path.of(command.get(command.size() > 1 ? 1 : 0)).getFileName()
                .toString().replaceAll("[^A-Za-z0-9_-]", "-");
        if (name.length() > 64) {
            name = name.substring(0, 64);
        }
        UpstreamSpec.Stdio server = new UpstreamSpec.Stdio(name, command, Map.of(), null);
        // one process per host: its metrics are kept, not served (no management port of its own); its spans are
        // exported as the environment's tracing.* settings say
        try (Telemetry telemetry = new Telemetry(ServiceMetrics.create(Service.BROKER),
                ServiceTracing.start(Service.BROKER, TracingSettings.fromSettings(settings)));
                SamplingDispatcher dispatcher = SamplingDispatcher.start(config.kafka(), config.instanceId(),
                        config.sampling(), telemetry)) {
            StdioFront front = new StdioFront(server, hostId, dispatcher, System.in, protocolOut);
            Runtime.getRuntime().addShutdownHook(new Thread(front::close, "stdio-front-stop"));
            front.run();
        }
        System.exit(0);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            usage(option + " needs a value");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println("sampling-broker stdio: " + problem);
        System.err.println("usage: StdioFrontMain [--config broker.yaml] [--server-name NAME] [--host-id HOST] -- COMMAND [ARGS...]");
        System.exit(2);
    }
}
