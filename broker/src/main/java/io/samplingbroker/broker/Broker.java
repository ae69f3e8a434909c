package io.samplingbroker.broker;

import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.gateway.GatewayServer;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.upstream.HttpUpstream;
import io.samplingbroker.broker.upstream.StdioUpstream;
import io.samplingbroker.broker.upstream.UpstreamConnection;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.vertx.core.Vertx;

/** A running broker: the sampling dispatcher on Kafka and the MCP gateway in front of it. */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final Vertx vertx;
    private final SamplingDispatcher dispatcher;
    private final GatewayServer gateway;
    private final BrokerConfig config;

    private Broker(BrokerConfig config, Vertx vertx, SamplingDispatcher dispatcher, GatewayServer gateway) {
        this.config = config;
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.gateway = gateway;
    }

    /** Connects to Kafka, starts the gateway, and returns once it listens. */
    public static Broker start(BrokerConfig config) throws Exception {
        Vertx vertx = Vertx.vertx();
        SamplingDispatcher dispatcher = null;
        try {
            dispatcher = SamplingDispatcher.start(config.kafka(), config.instanceId(), config.samplingDeadline());
            Function<UpstreamSpec, UpstreamConnection> connector = spec -> spec instanceof UpstreamSpec.Stdio stdio
                    ? new StdioUpstream(stdio) : new HttpUpstream(vertx, (UpstreamSpec.Http) spec);
            GatewayServer gateway = new GatewayServer(vertx, config.servers(), connector, dispatcher,
                    config.sessionIdleTimeout());
            gateway.listen(config.httpHost(), config.httpPort()).await();
            return new Broker(config, vertx, dispatcher, gateway);
        } catch (Exception e) {
            if (dispatcher != null) {
                dispatcher.close();
            }
            vertx.close().await();
            throw e;
        }
    }

    /** The URL a host connects to for {@code server}. */
    public String mcpUrl(String server) {
        return "http://" + config.httpHost() + ":" + gateway.port() + "/mcp/" + server;
    }

    public int port() {
        return gateway.port();
    }

    public SamplingDispatcher dispatcher() {
        return dispatcher;
    }

    public String instanceId() {
        return config.instanceId();
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } catch (RuntimeException e) {
            LOG.warn("Gateway did not stop cleanly: {}", e.toString());
        }
        dispatcher.close();
        vertx.close().await();
    }
}
