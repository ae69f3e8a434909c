package io.samplingbroker.benchmark;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The host of the MRTR step: a 2026-07-28 client that calls the upstream's {@code bench} tool through the broker, one
 * sessionless POST per call; the call ends when the broker has answered the server's sampling input and the retry
 * completed. Its answer completes the request in the current {@link InFlight}. With several brokers, call {@code i}
 * goes to broker {@code i} mod n, as a load balancer dealing calls in turn would send it.
 */
public final class SessionlessHost implements AutoCloseable {

    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{},"
            + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"bench-host-2026\",\"version\":\"1\"}}";

    private final Vertx vertx;
    private final HttpClient client;
    private final List<String> urls;
    private volatile InFlight inFlight;

    public SessionlessHost(Vertx vertx, List<String> urls) {
        this.vertx = vertx;
        // Many calls are in flight at once, each one waiting for its sampling: a pool as wide as the load needs.
        this.client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(512));
        this.urls = List.copyOf(urls);
    }

    /** Where the answers of the next calls are recorded. */
    public void track(InFlight current) {
        this.inFlight = current;
    }

    /** Sends call {@code id}; its answer is recorded when it arrives. Callable from any thread. */
    public void call(long id) {
        InFlight current = inFlight;
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                + SessionlessUpstreamServer.TOOL + "\",\"arguments\":{\"n\":" + id + "}," + META + "}}";
        String url = urls.get((int) Math.floorMod(id, (long) urls.size()));
        RequestOptions options = new RequestOptions().setAbsoluteURI(url).setMethod(HttpMethod.POST)
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json, text/event-stream")
                .putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "tools/call")
                .putHeader("Mcp-Name", SessionlessUpstreamServer.TOOL);
        OnEventLoop.run(vertx, () -> client.request(options).compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(answer -> response.statusCode() == 200
                        && answer.toString().contains("\"resultType\":\"complete\""))))
                .onSuccess(completed -> current.complete(id, !completed, System.nanoTime()))
                .onFailure(failure -> current.failed(id));
    }

    @Override
    public void close() throws TimeoutException {
        client.close().await(5, TimeUnit.SECONDS);
    }
}
