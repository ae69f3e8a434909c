package io.samplingbroker.reviewconsole;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.vertx.core.Vertx;

/** A console server over a real socket, with the queue and the command topic in memory. */
abstract class ConsoleServerTestBase {

    static final String ALICE_PASSWORD = "alice-password";
    private static final Map<String, String> REVIEWERS = Map.of(
            "alice", PasswordHashing.hash(ALICE_PASSWORD.toCharArray()),
            "bob", PasswordHashing.hash("bob-password".toCharArray()),
            "carol", PasswordHashing.hash("carol-password".toCharArray()));

    final InMemoryReviewQueue queue = new InMemoryReviewQueue();
    final List<ReviewCommand> sent = new CopyOnWriteArrayList<>();
    /** Plays the approval-worker: what it publishes for a command (null: nothing). */
    volatile Function<ReviewCommand, ReviewItem> worker = command -> null;
    volatile boolean kafkaDown;
    private Vertx vertx;
    private ReviewConsoleServer server;
    ConsoleClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        CommandSink sink = command -> {
            if (kafkaDown) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            sent.add(command);
            return CompletableFuture.runAsync(() -> {
                ReviewItem answer = worker.apply(command);
                if (answer != null) {
                    queue.put(answer);
                }
            });
        };
        ReviewConsoleConfig config = ReviewConsoleConfig.of(REVIEWERS).withDecisionTimeout(Duration.ofSeconds(1))
                .withReviewerTenants(reviewerTenants());
        OverviewStats overview = new OverviewStats(Clock.systemUTC(), PriceCatalogue.none());
        server = new ReviewConsoleServer(vertx, config, queue, sink, overview::snapshot, Clock.systemUTC());
        client = new ConsoleClient(server.listen().await());
    }

    /** Which tenants each reviewer sees (none named: every reviewer sees all). */
    Map<String, String> reviewerTenants() {
        return Map.of();
    }

    @AfterEach
    void stop() {
        server.close().await();
        vertx.close().await();
    }
}
