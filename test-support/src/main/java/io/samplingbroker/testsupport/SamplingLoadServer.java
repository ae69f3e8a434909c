package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * An upstream MCP server of the 2025-11-25 era (Streamable HTTP) that asks for sampling: every session the broker
 * opens to it gets {@code sampling/createMessage} requests on its GET stream, sent by {@link #send}, and every answer
 * the broker POSTs back is handed to the listener with the session it came on. Many sessions at once, from several
 * broker instances; a session whose stream breaks (its broker died) is dropped.
 */
public final class SamplingLoadServer implements AutoCloseable {

    public static final String PROTOCOL_VERSION = "2025-11-25";
    /** The text every sampling request asks about, then its JSON-RPC id: a provider fake can tell requests apart. */
    public static final String PROMPT_PREFIX = "fault-load request ";

    /** One answer as the server received it: a result, or an error with its code. */
    public record Answer(String sessionId, long id, Optional<Integer> errorCode, long receivedNanos) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopbackHttpServer http;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextStream = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final Consumer<Answer> answers;

    /** One session's SSE stream; once ended (under its lock), nothing more is written to it. */
    private static final class Stream {
        final String sessionId;
        final HttpExchange exchange;
        final OutputStream out;
        boolean open = true;

        Stream(String sessionId, HttpExchange exchange, OutputStream out) {
            this.sessionId = sessionId;
            this.exchange = exchange;
            this.out = out;
        }
    }

    private SamplingLoadServer(Consumer<Answer> answers) {
        this.answers = answers;
        this.http = LoopbackHttpServer.start("/mcp", this::handle, "the sampling load server");
    }

    /** Listens on a free loopback port; {@code answers} is called on the server's threads. */
    public static SamplingLoadServer start(Consumer<Answer> answers) {
        return new SamplingLoadServer(answers);
    }

    public String url() {
        return http.url("/mcp");
    }

    /** Whether session {@code sessionId} has ended: its broker deleted it, or its stream broke (its broker died). */
    public boolean ended(String sessionId) {
        return ended.contains(sessionId);
    }

    /** How many session streams were opened so far, ended ones too. */
    public int streamsOpened() {
        return opened.get();
    }

    /** The sessions whose GET stream is open now. */
    public int openStreams() {
        return streams.size();
    }

    /**
     * Sends sampling request {@code id} on the next open stream (round robin); returns the session it went on, or
     * empty when no stream is open.
     */
    public Optional<String> send(long id) {
        List<Stream> open = new ArrayList<>(streams.values());
        for (int tries = 0; tries < open.size(); tries++) {
            Stream stream = open.get(Math.floorMod(nextStream.getAndIncrement(), open.size()));
            byte[] event = ("event: message\ndata: " + request(id) + "\n\n").getBytes(StandardCharsets.UTF_8);
            try {
                synchronized (stream) {
                    if (!stream.open) {
                        continue; // deleted meanwhile: a server sends nothing on a session that ended
                    }
                    stream.out.write(event);
                    stream.out.flush();
                }
                return Optional.of(stream.sessionId);
            } catch (IOException broken) {
                drop(stream);
            }
        }
        return Optional.empty();
    }

    static String request(long id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"sampling/createMessage\",\"params\":{\"messages\":"
                + "[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"" + PROMPT_PREFIX + id + "\"}}],"
                + "\"maxTokens\":50}}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
        switch (exchange.getRequestMethod()) {
            case "GET" -> openStream(exchange, session);
            case "POST" -> onPost(exchange, session);
            case "DELETE" -> {
                Stream stream = session == null ? null : streams.get(session);
                if (stream != null) {
                    drop(stream);
                }
                respond(exchange, 200, null);
            }
            default -> respond(exchange, 405, null);
        }
    }

    private void openStream(HttpExchange exchange, String session) throws IOException {
        if (session == null) {
            respond(exchange, 400, null);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(": open\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Stream previous = streams.put(session, new Stream(session, exchange, out));
        opened.incrementAndGet();
        if (previous != null) {
            previous.exchange.close(); // the broker opened the session's stream again: the old one is done
        }
        // the exchange stays open: sampling requests are written on it until the session ends
    }

    private void onPost(HttpExchange exchange, String session) throws IOException {
        long now = System.nanoTime();
        JsonNode message;
        try (InputStream in = exchange.getRequestBody()) {
            message = JSON.readTree(in.readAllBytes());
        } catch (IOException e) {
            respond(exchange, 400, null);
            return;
        }
        JsonNode method = message.get("method");
        if (method == null) {
            respond(exchange, 202, null);
            JsonNode error = message.get("error");
            answers.accept(new Answer(session, message.path("id").asLong(-1),
                    error == null ? Optional.empty() : Optional.of(error.path("code").asInt()), now));
            return;
        }
        if (!message.has("id")) {
            respond(exchange, 202, null);
            return;
        }
        ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").set("id", message.get("id"));
        ObjectNode result = reply.putObject("result");
        String sessionId = session;
        if ("initialize".equals(method.asText())) {
            result.put("protocolVersion", PROTOCOL_VERSION).putObject("capabilities");
            result.putObject("serverInfo").put("name", "sampling-load").put("version", "1");
            sessionId = UUID.randomUUID().toString();
        }
        if (sessionId != null) {
            exchange.getResponseHeaders().add("Mcp-Session-Id", sessionId);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        respond(exchange, 200, JSON.writeValueAsBytes(reply));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private void drop(Stream stream) {
        synchronized (stream) {
            stream.open = false;
        }
        if (streams.remove(stream.sessionId, stream)) {
            ended.add(stream.sessionId);
        }
        stream.exchange.close();
    }

    @Override
    public void close() {
        streams.values().forEach(this::drop);
        http.close();
    }
}
