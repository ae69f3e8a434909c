package io.samplingbroker.broker;

import java.time.Clock;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.gateway.GatewayServer;
import io.samplingbroker.broker.mcp.InputRounds;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.upstream.Upstreams;
import io.samplingbroker.serviceruntime.service.RunningService;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;
import io.vertx.core.Vertx;

/** A running broker: the sampling dispatcher on Kafka and the MCP gateway in front of it. */
public final class Broker implements RunningService {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final Vertx vertx;
    private final SamplingDispatcher dispatcher;
    private final GatewayServer gateway;
    private final Upstreams upstreams;
    private final BrokerConfig config;
    private boolean closed;

    private Broker(BrokerConfig config, Vertx vertx, SamplingDispatcher dispatcher, GatewayServer gateway,
            Upstreams upstreams) {
        this.config = config;
        this.upstreams = upstreams;
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.gateway = gateway;
    }

    /**
     * Connects to Kafka, starts the gateway, and returns once it listens.
     *
     * @throws IllegalStateException when Kafka or the registry cannot be reached, or the port cannot be bound
     */
    public static Broker start(BrokerConfig config) {
        Vertx vertx = Vertx.vertx();
        SamplingDispatcher dispatcher = null;
        try {
            dispatcher = SamplingDispatcher.start(config.kafka(), config.instanceId(), config.sampling());
            Upstreams upstreams = new Upstreams(vertx, config.servers(),
                    new InputRounds(config.gateway().maxInputRounds()), Clock.systemUTC(),
                    config.gateway().limits().stdioProcesses());
            GatewayServer gateway = new GatewayServer(vertx, config.servers(), upstreams, dispatcher,
                    config.sessionIdleTimeout(), config.gateway());
            gateway.listen(config.httpHost(), config.httpPort()).await();
            return new Broker(config, vertx, dispatcher, gateway, upstreams);
        } catch (RuntimeException e) {
            closeAfterFailedStart(dispatcher, vertx);
            throw e;
        } catch (Exception e) {
            closeAfterFailedStart(dispatcher, vertx);
            throw new IllegalStateException("The gateway cannot listen on " + config.httpHost() + ":"
                    + config.httpPort() + ": " + e.getMessage(), e);
        }
    }

    private static void closeAfterFailedStart(SamplingDispatcher dispatcher, Vertx vertx) {
        if (dispatcher != null) {
            dispatcher.close();
        }
        vertx.close().await();
    }

    /** Completes when the result reader dies: the broker could no longer answer any server. */
    @Override
    public CompletionStage<VitalPartFailure> failed() {
        return dispatcher.failed();
    }

    /** The URL a host connects to for {@code server}. */
    public String mcpUrl(String server) {
        return "http://" + config.httpHost() + ":" + gateway.port() + "/mcp/" + server;
    }

    public SamplingDispatcher dispatcher() {
        return dispatcher;
    }

    public String instanceId() {
        return config.instanceId();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            gateway.close();
        } catch (RuntimeException e) {
            LOG.warn("Gateway did not stop cleanly: {}", e.toString());
        }
        upstreams.close();
        dispatcher.close();
        vertx.close().await();
    }
}
