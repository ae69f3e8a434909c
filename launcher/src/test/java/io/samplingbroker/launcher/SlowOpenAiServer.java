package io.samplingbroker.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for an OpenAI-compatible provider (the SaaS cannot be reached from tests): answers
 * {@code POST /v1/chat/completions} with a response shaped like OpenAI's documentation, after a delay.
 */
final class SlowOpenAiServer implements AutoCloseable {

    private final HttpServer server;
    private final Duration delay;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger completedCalls = new AtomicInteger();

    SlowOpenAiServer(Duration delay) throws IOException {
        this.delay = delay;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** A catalogue with one model served by this server. */
    String catalogue() {
        return "defaultModel: slow-gpt\n"
                + "providers:\n"
                + "  local:\n"
                + "    type: openai-compatible\n"
                + "    baseUrl: " + baseUrl() + "\n"
                + "    timeoutMs: 120000\n"
                + "    maxRetries: 0\n"
                + "models:\n"
                + "  - name: slow-gpt\n"
                + "    provider: local\n"
                + "    providerModel: gpt-4o-mini\n";
    }

    private void complete(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = ("{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion\",\"created\":1677652288,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"slow answer\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
                + "\"total_tokens\":11}}").getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            completedCalls.incrementAndGet();
        } catch (IOException clientGone) {
            // the worker aborted the call
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
