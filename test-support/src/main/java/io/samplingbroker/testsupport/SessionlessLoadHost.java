package io.samplingbroker.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * 2026-07-28 hosts (no sessions) calling {@link SessionlessLoadServer}'s tool through the gateways, as a load balancer
 * in front of them would: call N goes to gateway N mod count, and one that is refused before anything happened (the
 * gateway is stopping: 503; or gone: connection refused) is sent to the next gateway. Every call ends in an answer
 * handed on as a {@link SamplingLoadServer.Answer} (a result when the tool completed, else the JSON-RPC error's code),
 * or with its connection broken after it was sent ({@link #ended}), or with no answer in time (lost).
 */
public final class SessionlessLoadHost implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\""
            + SessionlessLoadServer.PROTOCOL_VERSION + "\",\"io.modelcontextprotocol/clientCapabilities\":{},"
            + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"fault-load-host-2026\",\"version\":\"1\"}}";

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(threads)
            .build();
    private final List<String> gateways;
    private final Duration patience;
    private final Consumer<SamplingLoadServer.Answer> answers;
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    private final AtomicLong redirected = new AtomicLong();

    /**
     * @param gateways the gateways' URLs of the sessionless server ({@code .../mcp/<server>})
     * @param patience how long a call waits for its answer
     */
    public SessionlessLoadHost(List<String> gateways, Duration patience, Consumer<SamplingLoadServer.Answer> answers) {
        this.gateways = List.copyOf(gateways);
        this.patience = patience;
        this.answers = answers;
    }

    /** The name a call's answer carries in place of a session: {@code call-<id>}. */
    public static String callName(long id) {
        return "call-" + id;
    }

    /** Sends call {@code id} without waiting for it. */
    public void call(long id) {
        attempt(id, (int) (id % gateways.size()), 1);
    }

    /** Whether call {@code callName} lost its connection after it was sent (its gateway died under it). */
    public boolean ended(String callName) {
        return broken.contains(callName);
    }

    /** How many calls were sent to another gateway because theirs refused them before starting. */
    public long redirected() {
        return redirected.get();
    }

    private void attempt(long id, int gateway, int attempts) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                + SessionlessLoadServer.TOOL + "\",\"arguments\":{\"n\":" + id + "}," + META + "}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateways.get(gateway))).timeout(patience)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", SessionlessLoadServer.PROTOCOL_VERSION)
                .header("Mcp-Method", "tools/call").header("Mcp-Name", SessionlessLoadServer.TOOL)
                .header("X-Sampling-Host-Id", "fault-host-2026")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            long now = System.nanoTime();
            boolean mayRedirect = attempts < gateways.size();
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof ConnectException && mayRedirect) {
                    redirect(id, gateway, attempts);
                } else if (!(cause instanceof HttpTimeoutException) && cause instanceof IOException) {
                    broken.add(callName(id));
                }
                return; // a timeout: no answer in time
            }
            if (response.statusCode() == 503 && mayRedirect) {
                redirect(id, gateway, attempts);
                return;
            }
            answers.accept(new SamplingLoadServer.Answer(callName(id), id, errorCode(response), now));
        });
    }

    private void redirect(long id, int gateway, int attempts) {
        redirected.incrementAndGet();
        attempt(id, (gateway + 1) % gateways.size(), attempts + 1);
    }

    /** Empty when the tool completed; the JSON-RPC error's code otherwise (the HTTP status, negated, if none). */
    private static Optional<Integer> errorCode(HttpResponse<String> response) {
        JsonNode message = lastMessage(response.body());
        if (response.statusCode() == 200 && "complete".equals(message.path("result").path("resultType").asText())) {
            return Optional.empty();
        }
        JsonNode code = message.path("error").path("code");
        return Optional.of(code.isInt() ? code.asInt() : -response.statusCode());
    }

    /** The body as JSON, or the last {@code data:} of an SSE body. */
    private static JsonNode lastMessage(String body) {
        String json = body.strip();
        if (!json.startsWith("{")) {
            json = body.lines().filter(line -> line.startsWith("data:")).reduce((a, b) -> b)
                    .map(line -> line.substring(5).strip()).orElse("{}");
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
