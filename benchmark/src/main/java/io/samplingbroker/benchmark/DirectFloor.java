package io.samplingbroker.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;

/**
 * The floor under MCP sampling itself: the benchmark's upstream server (a fresh {@link McpUpstreamServer}) talking
 * straight to a host that answers with the offline model ({@link DirectSamplingHost}), no broker, no Kafka. Both sides
 * run on one Vert.x built as the end-to-end load generator's ({@code Vertx.vertx()}, defaults), as there both MCP
 * sides share one: the load generator's own instance is closed with the services before this runs. As many host
 * sessions as the broker steps had, so that the server spreads the load the same way.
 */
public final class DirectFloor implements AutoCloseable {

    private final Vertx vertx;
    private McpUpstreamServer upstream;
    private final List<DirectSamplingHost> hosts = new ArrayList<>();

    private DirectFloor(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Starts the server, connects {@code sessions} hosts and waits for their GET streams; closes what started if
     * that fails.
     */
    public static DirectFloor start(int sessions) throws Exception {
        DirectFloor floor = new DirectFloor(Vertx.vertx());
        try {
            floor.upstream = McpUpstreamServer.start(floor.vertx);
            for (int i = 0; i < sessions; i++) {
                DirectSamplingHost host = new DirectSamplingHost(floor.vertx, floor.upstream.url());
                floor.hosts.add(host);
                host.connect();
            }
            floor.upstream.awaitStreams(sessions, 30_000);
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

    /** What went wrong on the hosts' side so far (expected 0, 0): printed with the table. */
    public String hostFailures() {
        return String.format("events the direct hosts could not read: %d; answers whose POST failed: %d; "
                + "sends that found a GET stream's write queue full: %d",
                hosts.stream().mapToLong(DirectSamplingHost::unreadable).sum(),
                hosts.stream().mapToLong(DirectSamplingHost::failedPosts).sum(), upstream.backpressured());
    }

    @Override
    public void close() {
        try {
            hosts.forEach(DirectSamplingHost::close);
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
