package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * A local HTTP server speaking the OpenAI wire formats under {@code /v1}: Chat Completions
 * ({@code POST /v1/chat/completions}) and Responses ({@code POST /v1/responses}, {@link #response}), with the API's
 * documented success and error bodies (both APIs share the error envelope): the one stand-in for a provider the tests use, since no LLM can be
 * reached from here. Replies are scripted in order; once the script is used up the default reply answers. Every
 * request is recorded (body and headers) so tests can check what went on the wire, and how often.
 */
public final class ChatCompletionsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted answer. */
    public record Reply(int status, String body, Map<String, String> headers, Duration delay) {

        public Reply after(Duration newDelay) {
            return new Reply(status, body, headers, newDelay);
        }
    }

    /** One request as received, and when. */
    public record Received(String path, String authorization, Map<String, List<String>> headers, JsonNode body,
            Instant receivedAt) {
    }

    private final LoopbackHttpServer http;
    private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile Duration minLatency = Duration.ZERO;
    private volatile Duration maxLatency = Duration.ZERO;
    private volatile CountDownLatch hanging = new CountDownLatch(0);
    private volatile Reply defaultReply = completion("gpt-4o-mini-2024-07-18", "Hello from the local server.", "stop");

    private ChatCompletionsServer() {
        this.http = LoopbackHttpServer.start("/v1", this::handle, "the local OpenAI-format server");
    }

    public static ChatCompletionsServer start() {
        return new ChatCompletionsServer();
    }

    /** The base URL a provider is configured with ({@code .../v1}). */
    public String baseUrl() {
        return http.url("/v1");
    }

    public ChatCompletionsServer reply(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public ChatCompletionsServer replyByDefault(Reply reply) {
        defaultReply = reply;
        return this;
    }

    /**
     * Every reply waits a random time between {@code min} and {@code max} more (uniform), as a real model does; work
     * is in flight when a fault strikes.
     */
    public ChatCompletionsServer latency(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("latency needs 0 <= min <= max, got " + min + " and " + max);
        }
        minLatency = min;
        maxLatency = max;
        return this;
    }

    /** From now on requests are taken and never answered, until {@link #resume()}: a provider that hangs. */
    public void hang() {
        hanging = new CountDownLatch(1);
    }

    /** Answers again, the hung requests too. */
    public void resume() {
        hanging.countDown();
    }

    public int requestCount() {
        return received.size();
    }

    public List<Received> requests() {
        return new ArrayList<>(received);
    }

    /** The most requests this server was answering at the same time. */
    public int maxConcurrentRequests() {
        return maxConcurrent.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try (exchange; InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in.readAllBytes());
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), Map.copyOf(exchange.getRequestHeaders()),
                    body, Instant.now()));
            hanging.await();
            Reply reply = script.pollFirst();
            if (reply == null) {
                reply = defaultReply;
            }
            long delay = reply.delay().toMillis() + minLatency.toMillis()
                    + ThreadLocalRandom.current().nextLong(maxLatency.toMillis() - minLatency.toMillis() + 1);
            if (delay > 0) {
                Thread.sleep(delay);
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            concurrent.decrementAndGet();
        }
    }

    /** A documented Chat Completion with one choice of text. */
    public static Reply completion(String model, String text, String finishReason) {
        String body = """
                {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
                 "model":%s,
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null,"annotations":[]},
                   "logprobs":null,"finish_reason":"%s"}],
                 "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
                   "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                   "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,
                     "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
                 "service_tier":"default","system_fingerprint":"fp_06737a9306"}
                """.formatted(quote(model), quote(text), finishReason);
        return new Reply(200, body, Map.of(), Duration.ZERO);
    }

    /** A documented Responses API response: {@code output_text} in a message, or a function call when {@code text} is null. */
    public static Reply response(String model, String text, String status) {
        String item = text != null
                ? """
                  {"type":"message","id":"msg_67ccd3acc8d48190a77525dc6de64b4104becb25c95c1d41","status":"completed",
                   "role":"assistant","content":[{"type":"output_text","text":%s,"annotations":[]}]}
                  """.formatted(quote(text))
                : """
                  {"type":"function_call","id":"fc_12345xyz","call_id":"call_12345xyz","name":"get_weather",
                   "arguments":"{\\"location\\":\\"Paris, France\\"}","status":"completed"}
                  """;
        String incomplete = "incomplete".equals(status) ? "{\"reason\":\"max_output_tokens\"}" : "null";
        String body = """
                {"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response",
                 "created_at":1741476542,"status":%s,"error":null,"incomplete_details":%s,"instructions":null,
                 "max_output_tokens":null,"model":%s,"output":[%s],"parallel_tool_calls":true,
                 "previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":false,
                 "temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,
                 "truncation":"disabled",
                 "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":12},"output_tokens":87,
                   "output_tokens_details":{"reasoning_tokens":0},"total_tokens":123},
                 "user":null,"metadata":{}}
                """.formatted(quote(status), incomplete, quote(model), item);
        return new Reply(200, body, Map.of(), Duration.ZERO);
    }

    /** OpenAI's answer to a wrong API key. */
    public static Reply unauthorized() {
        return new Reply(401, """
                {"error":{"message":"Incorrect API key provided: sk-test***********1234. You can find your API key at https://platform.openai.com/account/api-keys.",
                  "type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
                """, Map.of(), Duration.ZERO);
    }

    public static Reply rateLimited(String retryAfterSeconds) {
        return new Reply(429, """
                {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-123 on requests per min (RPM): Limit 3, Used 3, Requested 1.",
                  "type":"requests","param":null,"code":"rate_limit_exceeded"}}
                """, Map.of("Retry-After", retryAfterSeconds), Duration.ZERO);
    }

    public static Reply serverError() {
        return new Reply(500, """
                {"error":{"message":"The server had an error while processing your request. Sorry about that!",
                  "type":"server_error","param":null,"code":null}}
                """, Map.of(), Duration.ZERO);
    }

    /** A 200 whose body is cut off mid-JSON. */
    public static Reply malformed() {
        return new Reply(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,",
                Map.of(), Duration.ZERO);
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        resume();
        http.close();
    }
}
