package io.samplingbroker.broker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.serviceruntime.ConfigFileException;
import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * The broker's settings.
 *
 * @param kafka Kafka, registry and topics
 * @param instanceId this instance's id, unique in the cluster: results are routed to it ({@code broker.instance.id})
 * @param httpHost interface of the MCP gateway ({@code broker.http.host}, default 127.0.0.1)
 * @param httpPort port of the MCP gateway, 0 for any free one ({@code broker.http.port}, default 8080)
 * @param sampling how long and how large a sampling request may be, and how many may wait
 *     ({@code broker.sampling.deadline.ms}, {@code broker.sampling.max.request.bytes},
 *     {@code broker.sampling.task.max.ttl.ms}, {@code broker.sampling.pending.per.session}, {@code .per.host}), and
 *     how long a stopping instance lets its pending requests finish ({@code broker.sampling.drain.timeout.ms}), and
 *     the pipeline delay that sheds load ({@code broker.sampling.shed.delay.ms})
 * @param sessionIdleTimeout a host session without traffic this long is closed ({@code broker.session.idle.timeout.ms})
 * @param servers the upstream servers by name ({@code servers.<name>.command|args|env.*|cwd} or
 *     {@code servers.<name>.url|headers.*|protocol})
 * @param gateway what the gateway accepts from hosts ({@code broker.http.allowed.*}, {@code broker.input.*},
 *     {@code broker.request.state.secret}, {@code broker.auth.*}); hosts that are not authenticated only on loopback
 */
public record BrokerConfig(KafkaSettings kafka, String instanceId, String httpHost, int httpPort,
        SamplingLimits sampling, Duration sessionIdleTimeout, Map<String, UpstreamSpec> servers,
        GatewaySettings gateway) {

    public BrokerConfig {
        Objects.requireNonNull(kafka, "kafka");
        if (instanceId == null || !instanceId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ConfigFileException("broker.instance.id must be 1-100 letters, digits, '.', '_' or '-', got '"
                    + instanceId + "'");
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new ConfigFileException("broker.http.port must be in 0..65535, got " + httpPort);
        }
        Objects.requireNonNull(sampling, "sampling");
        servers = Map.copyOf(servers);
        Objects.requireNonNull(gateway, "gateway");
        if (gateway.auth().mode() == HostAuthSettings.Mode.NONE && !GatewaySettings.LOOPBACK_HOSTS.contains(httpHost)) {
            throw new ConfigFileException("broker.auth.mode=none (hosts name themselves) is only for a gateway on"
                    + " loopback, and broker.http.host is " + httpHost + ": configure broker.auth.issuer,"
                    + " broker.auth.jwks.url and broker.auth.resource, or listen on 127.0.0.1");
        }
    }

    /**
     * A broker on this machine only: loopback hosts and origins, the default request size limit (the dev stack, the
     * tests, the benchmark).
     */
    public BrokerConfig(KafkaSettings kafka, String instanceId, String httpHost, int httpPort,
            Duration samplingDeadline, Duration sessionIdleTimeout, Map<String, UpstreamSpec> servers) {
        this(kafka, instanceId, httpHost, httpPort, SamplingLimits.of(samplingDeadline), sessionIdleTimeout, servers,
                GatewaySettings.loopback());
    }

    /** The same configuration on other Kafka settings (another principal's, for example). */
    public BrokerConfig withKafka(KafkaSettings newKafka) {
        return new BrokerConfig(newKafka, instanceId, httpHost, httpPort, sampling, sessionIdleTimeout, servers,
                gateway);
    }

    /** Reads a YAML file (null: none) with environment overrides ({@code SAMPLING_BROKER_HTTP_PORT}, ...). */
    public static BrokerConfig load(Path file, Map<String, String> environment) {
        return fromSettings(ConfigSource.load(file, environment));
    }

    public static BrokerConfig fromSettings(Map<String, String> settings) {
        String httpHost = settings.getOrDefault("broker.http.host", "127.0.0.1");
        return new BrokerConfig(KafkaSettings.from(settings),
                settings.getOrDefault("broker.instance.id", "broker-" + Long.toHexString(
                        ThreadLocalRandom.current().nextLong() & 0xffffffffL)),
                httpHost,
                (int) ConfigSource.wholeNumber(settings, "broker.http.port", 8080),
                samplingLimits(settings),
                Duration.ofMillis(ConfigSource.wholeNumber(settings, "broker.session.idle.timeout.ms", 30 * 60_000)),
                servers(settings), GatewaySettings.fromSettings(settings, httpHost));
    }

    private static SamplingLimits samplingLimits(Map<String, String> settings) {
        try {
            return new SamplingLimits(Duration.ofMillis(ConfigSource.wholeNumber(settings, "broker.sampling.deadline.ms",
                    45_000)), Math.toIntExact(ConfigSource.wholeNumber(settings, "broker.sampling.max.request.bytes",
                    SamplingLimits.DEFAULT_MAX_REQUEST_BYTES)), Duration.ofMillis(ConfigSource.wholeNumber(settings,
                    "broker.sampling.task.max.ttl.ms", SamplingLimits.DEFAULT_MAX_TASK_TTL.toMillis())),
                    Math.toIntExact(ConfigSource.wholeNumber(settings, "broker.sampling.pending.per.session",
                            SamplingLimits.DEFAULT_PENDING_PER_SESSION)),
                    Math.toIntExact(ConfigSource.wholeNumber(settings, "broker.sampling.pending.per.host",
                            SamplingLimits.DEFAULT_PENDING_PER_HOST)),
                    Duration.ofMillis(ConfigSource.wholeNumber(settings, "broker.sampling.drain.timeout.ms",
                            SamplingLimits.DEFAULT_DRAIN_TIMEOUT.toMillis())),
                    Duration.ofMillis(ConfigSource.wholeNumber(settings, "broker.sampling.shed.delay.ms",
                            SamplingLimits.DEFAULT_SHED_DELAY.toMillis())));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigFileException(e.getMessage());
        }
    }

    /** Reads {@code servers.<name>.*}: each server is either a command or a URL. */
    static Map<String, UpstreamSpec> servers(Map<String, String> settings) {
        Map<String, String> all = ConfigSource.withPrefix(settings, "servers");
        TreeSet<String> names = new TreeSet<>();
        all.keySet().forEach(key -> names.add(key.substring(0, key.indexOf('.') < 0 ? key.length() : key.indexOf('.'))));
        Map<String, UpstreamSpec> servers = new LinkedHashMap<>();
        for (String name : names) {
            Map<String, String> server = ConfigSource.withPrefix(all, name);
            String command = server.get("command");
            String url = server.get("url");
            if ((command == null) == (url == null)) {
                throw new ConfigFileException("servers." + name + " needs exactly one of command or url");
            }
            try {
                if (command != null) {
                    List<String> argv = new ArrayList<>();
                    argv.add(command);
                    String args = server.get("args");
                    if (args != null && !args.isEmpty()) {
                        argv.addAll(Arrays.asList(args.split(",")));
                    }
                    String cwd = server.get("cwd");
                    servers.put(name, new UpstreamSpec.Stdio(name, argv, ConfigSource.withPrefix(server, "env"),
                            cwd == null ? null : Path.of(cwd)));
                } else {
                    servers.put(name, new UpstreamSpec.Http(name, URI.create(url), ConfigSource.withPrefix(server, "headers"),
                            UpstreamSpec.Protocol.parse(name, server.get("protocol"))));
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigFileException(e.getMessage());
            }
        }
        return servers;
    }

}
