package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * A local HTTP server speaking Anthropic's Messages API ({@code POST /v1/messages}), with the API's documented
 * success and error bodies and headers: the stand-in for Anthropic (which cannot be reached from here), as
 * {@link ChatCompletionsServer} is for OpenAI. Replies are scripted in order; once the script is used up the default
 * answers, by default an echo of the last user text. Every request is recorded (headers and body).
 *
 * <p>Run it by hand to try the model-worker's Anthropic path without a key:
 * {@code java -cp <test-support and its dependencies> io.samplingbroker.testsupport.AnthropicMessagesServer [port]}
 * prints the base URL to give a catalogue's {@code type: anthropic} provider (model-worker/README.md).
 */
public final class AnthropicMessagesServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted answer. */
    public record Reply(int status, String body, Map<String, String> headers) {
    }

    /** One request as received, and when. */
    public record Received(String path, Map<String, List<String>> headers, JsonNode body, Instant receivedAt) {

        /** A header's first value, whatever the case of its name; null when absent. */
        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final LoopbackHttpServer http;
    private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<JsonNode, Reply> defaultReply = AnthropicMessagesServer::echo;

    private AnthropicMessagesServer(int port) {
        this.http = LoopbackHttpServer.start(port, "/v1/messages", this::handle, "the local Anthropic Messages server");
    }

    public static AnthropicMessagesServer start() {
        return new AnthropicMessagesServer(0);
    }

    /** Serves until the process is stopped; the optional argument is the port (default: any free one). */
    public static void main(String[] args) throws InterruptedException {
        AnthropicMessagesServer server = new AnthropicMessagesServer(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("Anthropic Messages stand-in at " + server.baseUrl() + " (answers with an echo of the last"
                + " user text; Ctrl-C stops it)");
        new CountDownLatch(1).await();
    }

    /** The base URL a provider is configured with (the SDK adds {@code /v1/messages}). */
    public String baseUrl() {
        return http.url("");
    }

    public AnthropicMessagesServer reply(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public AnthropicMessagesServer replyByDefault(Reply reply) {
        defaultReply = request -> reply;
        return this;
    }

    public List<Received> requests() {
        return new ArrayList<>(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in.readAllBytes());
            received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    body, Instant.now()));
            Reply reply = script.pollFirst();
            if (reply == null) {
                reply = defaultReply.apply(body);
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** A documented Messages response with one text block. */
    public static Reply text(String model, String text, String stopReason) {
        ObjectNode message = message(model, stopReason);
        message.putArray("content").addObject().put("type", "text").put("text", text);
        return new Reply(200, message.toString(), Map.of());
    }

    /**
     * A text response whose prompt partly came from the prompt cache: Anthropic counts {@code input_tokens} apart from
     * the cache reads and writes.
     */
    public static Reply cachedText(String model, String text, int inputTokens, int cacheReadTokens,
            int cacheCreationTokens) {
        ObjectNode message = message(model, "end_turn");
        message.putArray("content").addObject().put("type", "text").put("text", text);
        ((ObjectNode) message.get("usage")).put("input_tokens", inputTokens)
                .put("cache_read_input_tokens", cacheReadTokens)
                .put("cache_creation_input_tokens", cacheCreationTokens);
        return new Reply(200, message.toString(), Map.of());
    }

    /** A response that calls one tool ({@code stop_reason: tool_use}), after a sentence of text. */
    public static Reply toolUse(String model, String id, String name, String inputJson) {
        ObjectNode message = message(model, "tool_use");
        ArrayNode content = message.putArray("content");
        content.addObject().put("type", "text").put("text", "I'll look that up.");
        ObjectNode call = content.addObject().put("type", "tool_use").put("id", id).put("name", name);
        try {
            call.set("input", JSON.readTree(inputJson));
        } catch (IOException e) {
            throw new IllegalArgumentException("inputJson is not JSON", e);
        }
        call.putObject("caller").put("type", "direct");
        return new Reply(200, message.toString(), Map.of());
    }

    /** Anthropic's error envelope, with {@code x-should-retry: false} as the API sends when a retry will not help. */
    public static Reply error(int status, String type, String message, Map<String, String> headers) {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        body.put("request_id", "req_011CSHoEeqs5C35K2UUqR7Fy");
        return new Reply(status, body.toString(), headers);
    }

    public static Reply overloaded() {
        return error(529, "overloaded_error", "Overloaded", Map.of());
    }

    public static Reply rateLimited(String retryAfterSeconds) {
        return error(429, "rate_limit_error", "This request would exceed the rate limit for your organization of"
                + " 50 input tokens per minute.", Map.of("retry-after", retryAfterSeconds,
                        "anthropic-ratelimit-requests-limit", "50", "anthropic-ratelimit-requests-remaining", "0"));
    }

    public static Reply unauthorized() {
        return error(401, "authentication_error", "invalid x-api-key", Map.of("x-should-retry", "false"));
    }

    /** The echo answer: "echo: " and the text of the last user message. */
    private static Reply echo(JsonNode request) {
        String last = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                StringBuilder text = new StringBuilder();
                if (content.isTextual()) {
                    text.append(content.asText());
                }
                content.forEach(block -> text.append(block.path("text").asText("")));
                last = text.toString();
            }
        }
        return text(request.path("model").asText("claude-stand-in"), "echo: " + last, "end_turn");
    }

    private static ObjectNode message(String model, String stopReason) {
        ObjectNode message = JSON.createObjectNode().put("id", "msg_013Zva2CMHLNnXjNJJKqJ2EF").put("type", "message")
                .put("role", "assistant").put("model", model).put("stop_reason", stopReason).putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 25).put("output_tokens", 13)
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
        return message;
    }

    @Override
    public void close() {
        http.close();
    }
}
