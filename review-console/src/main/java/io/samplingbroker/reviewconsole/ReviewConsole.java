package io.samplingbroker.reviewconsole;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.health.Reachability;
import io.samplingbroker.serviceruntime.health.ReadinessCheck;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.serviceruntime.service.RunningService;
import io.samplingbroker.serviceruntime.service.Telemetry;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;
import io.vertx.core.Vertx;

/**
 * A running review console: the queue read from the reviews topic, the command sender, the overview, and the HTTP
 * server. {@link #start} returns once it listens and shows every review that existed when it started.
 */
public final class ReviewConsole implements RunningService {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewConsole.class);
    /** How long {@link #start} waits for the topics and the initial load of the reviews. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final ReviewConsoleConfig config;
    private final Vertx vertx;
    private final ReviewQueueView view;
    private final ReviewCommandSender sender;
    private final OverviewFeed feed;
    private final ReviewConsoleServer server;
    private final int port;
    private final Telemetry telemetry;
    private final FailureSignal failures;
    private final Reachability reachability;
    private boolean closed;

    private ReviewConsole(ReviewConsoleConfig config, Vertx vertx, ReviewQueueView view,
            ReviewCommandSender sender, OverviewFeed feed, ReviewConsoleServer server, int port, FailureSignal failures,
            Reachability reachability, Telemetry telemetry) {
        this.failures = failures;
        this.telemetry = telemetry;
        this.reachability = reachability;
        this.config = config;
        this.vertx = vertx;
        this.view = view;
        this.sender = sender;
        this.feed = feed;
        this.server = server;
        this.port = port;
    }


    /**
     * Creates the topics if missing, loads the reviews, then listens; blocks the calling thread (never call it on
     * an event loop) for at most {@link #STARTUP_TIMEOUT}.
     *
     * @throws IllegalStateException when Kafka, the registry or the port cannot be reached in time
     */
    public static ReviewConsole start(ReviewConsoleServiceConfig service) {
        return start(service, Telemetry.of(Service.REVIEW_CONSOLE));
    }

    /**
     * As {@link #start(ReviewConsoleServiceConfig)}, reporting into {@code telemetry} (its metrics: the console writes
     * no spans), which it closes when it closes.
     */
    public static ReviewConsole start(ReviewConsoleServiceConfig service, Telemetry telemetry) {
        return telemetry.closedIfFailed(() -> startRecording(service, telemetry));
    }

    private static ReviewConsole startRecording(ReviewConsoleServiceConfig service, Telemetry telemetry) {
        ServiceMetrics metrics = telemetry.metrics();
        ReviewConsoleConfig config = service.console();
        KafkaSettings kafka = service.kafka();
        SamplingTopics topics = kafka.samplingTopics();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        SchemaRegistryClient registry = kafka.newRegistryClient();
        TopicProvisioning.prepare(kafka, Service.REVIEW_CONSOLE, registry, STARTUP_TIMEOUT);
        Clock clock = Clock.systemUTC();
        Vertx running = Vertx.vertx();
        FailureSignal failures = new FailureSignal("review-console");
        ReviewQueueView view = null;
        ReviewCommandSender sender = null;
        OverviewFeed feed = null;
        try {
            view = new ReviewQueueView(kafka, topics.reviews(), registry, failures, new DeadLetterMeter(metrics)).start();
            sender = new ReviewCommandSender(kafka, topics.reviewCommands(), registry, config.decisionTimeout());
            OverviewStats stats = new OverviewStats(clock, service.prices());
            view.subscribe(change -> stats.reviewed(change.item()));
            feed = new OverviewFeed(kafka, topics, registry, stats, clock).start();
            view.caughtUp().get(remaining(deadline), TimeUnit.NANOSECONDS);
            view.items().forEach(stats::reviewed);
            ReviewConsoleServer server = new ReviewConsoleServer(running, config, view, sender, stats::snapshot, clock);
            int port = server.listen().toCompletionStage().toCompletableFuture()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            return new ReviewConsole(config, running, view, sender, feed, server, port, failures,
                    Reachability.start(kafka, Service.REVIEW_CONSOLE), telemetry);
        } catch (TimeoutException e) {
            closeAll(view, sender, feed, running);
            throw new IllegalStateException("The review console did not start within " + STARTUP_TIMEOUT.toSeconds()
                    + " s: is Kafka reachable at " + kafka.bootstrapServers() + "?", e);
        } catch (ExecutionException e) {
            closeAll(view, sender, feed, running);
            throw new IllegalStateException("The review console could not start: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(view, sender, feed, running);
            throw new IllegalStateException("Interrupted while starting the review console", e);
        } catch (RuntimeException e) {
            closeAll(view, sender, feed, running);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** The page's address, for people: {@code http://host:port/}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port + "/";
    }

    /** Completes when the reader of the reviews topic stops for good (the queue shown would go stale). */
    @Override
    public CompletionStage<VitalPartFailure> failed() {
        return failures.failed();
    }

    /** Kafka (the reviews are read from it, decisions written to it) and the registry reachable. */
    @Override
    public Map<String, ReadinessCheck> readiness() {
        return reachability.checks();
    }

    /** Stops the server, then the Kafka clients; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        failures.closing();
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Review console: the HTTP server did not close cleanly: {}", e.toString());
        }
        closeAll(view, sender, feed, vertx);
        reachability.close();
        telemetry.close();
        LOG.info("Review console stopped");
    }

    @Override
    public ServiceMetrics metrics() {
        return telemetry.metrics();
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static void closeAll(ReviewQueueView view, ReviewCommandSender sender, OverviewFeed feed, Vertx vertx) {
        if (feed != null) {
            feed.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (view != null) {
            view.close();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Review console: Vert.x did not close cleanly: {}", e.toString());
        }
    }
}
