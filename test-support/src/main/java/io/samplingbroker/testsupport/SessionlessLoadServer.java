package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * An upstream MCP server of the 2026-07-28 era (no sessions) whose one tool needs sampling: {@code tools/call} of
 * {@value #TOOL} with {@code {"n": N}} answers {@code input_required} asking for a sampling input about request N
 * ({@link SamplingLoadServer#PROMPT_PREFIX} then N, so a provider fake tells the calls apart), and the retry that
 * brings the input completes. {@code server/discover} names the revision.
 */
public final class SessionlessLoadServer implements AutoCloseable {

    public static final String PROTOCOL_VERSION = "2026-07-28";
    public static final String TOOL = "sample";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopbackHttpServer http;

    private SessionlessLoadServer() {
        this.http = LoopbackHttpServer.start("/mcp", this::handle, "the sessionless load server");
    }

    /** Listens on a free loopback port. */
    public static SessionlessLoadServer start() {
        return new SessionlessLoadServer();
    }

    public String url() {
        return http.url("/mcp");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode message;
            try (InputStream in = exchange.getRequestBody()) {
                message = JSON.readTree(in.readAllBytes());
            }
            ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").set("id", message.get("id"));
            JsonNode params = message.path("params");
            switch (message.path("method").asText()) {
                case "server/discover" -> {
                    ObjectNode result = reply.putObject("result").put("resultType", "complete");
                    result.putArray("supportedVersions").add(PROTOCOL_VERSION);
                    result.putObject("capabilities").putObject("tools");
                }
                case "tools/call" -> {
                    long n = params.path("arguments").path("n").asLong(-1);
                    if (params.has("inputResponses")) {
                        ObjectNode result = reply.putObject("result").put("resultType", "complete");
                        result.putArray("content").addObject().put("type", "text").put("text", "sampled " + n);
                    } else {
                        ObjectNode result = reply.putObject("result").put("resultType", "input_required")
                                .put("requestState", Long.toString(n));
                        ObjectNode sampling = result.putObject("inputRequests").putObject("llm")
                                .put("method", "sampling/createMessage").putObject("params").put("maxTokens", 50);
                        sampling.putArray("messages").addObject().put("role", "user").putObject("content")
                                .put("type", "text").put("text", SamplingLoadServer.PROMPT_PREFIX + n);
                    }
                }
                default -> reply.putObject("error").put("code", -32601).put("message", "Method not found");
            }
            byte[] body = JSON.writeValueAsBytes(reply);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
