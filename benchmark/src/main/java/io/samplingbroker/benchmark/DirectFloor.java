package io.samplingbroker.benchmark;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;

/**
 * The floor under MCP sampling itself: the benchmark's upstream server (a fresh {@link McpUpstreamServer}) talking
 * straight to a host that answers with the offline model ({@link DirectSamplingHost}), no broker, no Kafka. Both sides
 * run on one Vert.x built as the end-to-end load generator's ({@code Vertx.vertx()}, defaults), as there both MCP
 * sides share one: the load generator's own instance is closed with the services before this runs.
 */
public final class DirectFloor implements AutoCloseable {

    private final Vertx vertx;
    private McpUpstreamServer upstream;
    private DirectSamplingHost host;

    private DirectFloor(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts the server, connects the host and waits for its GET stream; closes what started if that fails. */
    public static DirectFloor start() throws Exception {
        DirectFloor floor = new DirectFloor(Vertx.vertx());
        try {
            floor.upstream = McpUpstreamServer.start(floor.vertx);
            floor.host = new DirectSamplingHost(floor.vertx, floor.upstream.url());
            floor.host.connect();
            floor.upstream.awaitStream(30_000);
            return floor;
        } catch (Exception | Error e) {
            floor.close();
            throw e;
        }
    }

    /** One open-loop step at {@code rate}: the server sends, the host answers, the server records the answer. */
    public LatencyStats run(String label, int rate, int seconds, long timeoutMillis, Prompts prompts)
            throws InterruptedException {
        InFlight inFlight = OpenLoop.inFlightFor(rate, timeoutMillis);
        upstream.track(inFlight);
        return OpenLoop.run(label, rate, seconds, inFlight, (id, intended) -> upstream.sendSampling(id, prompts));
    }

    /** What went wrong on the host's side so far (expected 0, 0): printed with the table. */
    public String hostFailures() {
        return String.format("events the direct host could not read: %d; answers whose POST failed: %d; "
                + "sends that found the GET stream's write queue full: %d", host.unreadable(), host.failedPosts(),
                upstream.backpressured());
    }

    @Override
    public void close() {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            try {
                if (upstream != null) {
                    upstream.close();
                }
            } finally {
                try {
                    vertx.close().await(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    System.err.println("Closing the direct floor's Vert.x timed out");
                }
            }
        }
    }
}
