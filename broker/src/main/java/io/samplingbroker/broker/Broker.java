package io.samplingbroker.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.samplingbroker.broker.auth.HostApiKeys;
import io.samplingbroker.broker.delegation.DelegationApi;
import io.samplingbroker.broker.gateway.GatewayServer;
import io.samplingbroker.broker.mcp.InputRounds;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.upstream.Upstreams;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.health.Reachability;
import io.samplingbroker.serviceruntime.health.ReadinessCheck;
import io.samplingbroker.serviceruntime.kafka.KafkaUnavailableException;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.serviceruntime.service.RunningService;
import io.samplingbroker.serviceruntime.service.Telemetry;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;
import io.vertx.core.Vertx;

/**
 * A running broker: the sampling dispatcher on Kafka, the MCP gateway in front of it and, when hosts authenticate,
 * the API keys read from Kafka.
 */
public final class Broker implements RunningService {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    private static final Duration KEYS_LOAD_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final SamplingDispatcher dispatcher;
    private final GatewayServer gateway;
    private final Upstreams upstreams;
    private final BrokerConfig config;
    private final HostApiKeys apiKeys;
    private final FailureSignal keyFailures;
    private final Reachability reachability;
    private final Telemetry telemetry;
    private volatile boolean closed;
    private volatile boolean draining;

    private Broker(BrokerConfig config, Vertx vertx, SamplingDispatcher dispatcher, GatewayServer gateway,
            Upstreams upstreams, HostApiKeys apiKeys, FailureSignal keyFailures, Reachability reachability,
            Telemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
        this.reachability = reachability;
        this.apiKeys = apiKeys;
        this.keyFailures = keyFailures;
        this.upstreams = upstreams;
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.gateway = gateway;
    }

    /** {@link #start(BrokerConfig, Telemetry)} with metrics of its own and no tracing (tests, embedded use). */
    public static Broker start(BrokerConfig config) {
        return start(config, Telemetry.of(Service.BROKER));
    }

    /**
     * Connects to Kafka, starts the gateway, and returns once it listens; reports into {@code telemetry}, which it
     * closes when it closes.
     *
     * @throws IllegalStateException when Kafka or the registry cannot be reached, or the port cannot be bound
     */
    public static Broker start(BrokerConfig config, Telemetry telemetry) {
        ServiceMetrics metrics = telemetry.metrics();
        Vertx vertx = Vertx.vertx();
        SamplingDispatcher dispatcher = null;
        HostApiKeys apiKeys = null;
        FailureSignal keyFailures = new FailureSignal("broker " + config.instanceId());
        try {
            dispatcher = SamplingDispatcher.start(config.kafka(), config.instanceId(), config.sampling(), telemetry);
            if (config.gateway().auth().required()) {
                apiKeys = loadApiKeys(config, keyFailures, metrics);
            }
            Upstreams upstreams = new Upstreams(vertx, config.servers(),
                    new InputRounds(config.gateway().maxInputRounds()), Clock.systemUTC(),
                    config.gateway().limits().stdioProcesses());
            GatewayServer gateway = new GatewayServer(vertx, config.servers(), upstreams, dispatcher,
                    config.sessionIdleTimeout(), config.gateway(), apiKeys);
            gateway.listen(config.httpHost(), config.httpPort()).await();
            Gauge.builder("sampling.sessions.open", gateway, GatewayServer::openSessions)
                    .description("Host sessions (2025-11-25) open on this broker instance").register(metrics.registry());
            return new Broker(config, vertx, dispatcher, gateway, upstreams, apiKeys, keyFailures,
                    Reachability.start(config.kafka(), Service.BROKER), telemetry);
        } catch (RuntimeException e) {
            closeAfterFailedStart(dispatcher, apiKeys, vertx);
            telemetry.close();
            throw e;
        } catch (Exception e) {
            closeAfterFailedStart(dispatcher, apiKeys, vertx);
            telemetry.close();
            throw new IllegalStateException("The gateway cannot listen on " + config.httpHost() + ":"
                    + config.httpPort() + ": " + e.getMessage(), e);
        }
    }

    /** Reads the host keys to the end before the gateway listens, so that no valid key is refused as unknown. */
    private static HostApiKeys loadApiKeys(BrokerConfig config, FailureSignal failures, ServiceMetrics metrics) {
        HostApiKeys keys = HostApiKeys.readFrom(config.kafka(), config.kafka().newRegistryClient(),
                config.gateway().auth().requiredScope(), failures, new DeadLetterMeter(metrics));
        try {
            keys.caughtUp().get(KEYS_LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return keys;
        } catch (TimeoutException | ExecutionException e) {
            keys.close();
            throw new KafkaUnavailableException("Cannot read the host keys from "
                    + config.kafka().samplingTopics().hostKeys().name() + " within " + KEYS_LOAD_TIMEOUT.toSeconds()
                    + " s: " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        } catch (InterruptedException e) {
            keys.close();
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while reading the host keys", e);
        }
    }

    private static void closeAfterFailedStart(SamplingDispatcher dispatcher, HostApiKeys apiKeys, Vertx vertx) {
        if (apiKeys != null) {
            apiKeys.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        vertx.close().await();
    }

    /**
     * Completes when the result reader dies (the broker could no longer answer any server) or the host keys reader
     * does (a revoked key would keep working).
     */
    @Override
    public CompletionStage<VitalPartFailure> failed() {
        return dispatcher.failed().applyToEither(keyFailures.failed(), failure -> failure);
    }

    /** Kafka and the registry reachable, and the gateway open (it closes first when the broker stops). */
    @Override
    public Map<String, ReadinessCheck> readiness() {
        Map<String, ReadinessCheck> checks = new LinkedHashMap<>(reachability.checks());
        checks.put("gateway", () -> closed ? "stopping" : draining ? "draining" : null);
        return checks;
    }

    /** The URL a host connects to for {@code server}. */
    public String mcpUrl(String server) {
        return "http://" + config.httpHost() + ":" + gateway.port() + "/mcp/" + server;
    }

    /** The delegation API's base URL ({@code /v1}): hosts that sample themselves hand their requests to it. */
    public String delegationUrl() {
        return "http://" + config.httpHost() + ":" + gateway.port() + DelegationApi.BASE;
    }

    public SamplingDispatcher dispatcher() {
        return dispatcher;
    }

    public String instanceId() {
        return config.instanceId();
    }

    /**
     * Stopping on SIGTERM: readiness goes down, new sessions and sessionless calls are sent away (503), a sampling
     * request a server makes on its own on a session held here is refused and recorded, and the pending ones have up
     * to the drain timeout to finish; {@link #close()} then ends the sessions and abandons (records) what is left.
     */
    @Override
    public void drain() {
        draining = true;
        gateway.drain();
        Duration timeout = dispatcher.limits().drainTimeout();
        LOG.info("Broker {} draining: {} sampling request(s) pending, waiting up to {} s", instanceId(),
                dispatcher.pendingCount(), timeout.toSeconds());
        int left = dispatcher.drain(timeout);
        if (left > 0) {
            LOG.warn("Broker {} drained for {} s; {} request(s) still pending are abandoned", instanceId(),
                    timeout.toSeconds(), left);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        keyFailures.closing();
        try {
            gateway.close();
        } catch (RuntimeException e) {
            LOG.warn("Gateway did not stop cleanly: {}", e.toString());
        }
        upstreams.close();
        if (apiKeys != null) {
            apiKeys.close();
        }
        dispatcher.close();
        reachability.close();
        vertx.close().await();
        telemetry.close();
    }

    @Override
    public ServiceMetrics metrics() {
        return telemetry.metrics();
    }
}
