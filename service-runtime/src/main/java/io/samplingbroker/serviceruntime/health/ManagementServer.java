package io.samplingbroker.serviceruntime.health;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.samplingbroker.serviceruntime.service.RunningService;

/**
 * A service's management port: {@code GET /health/live} (200 while no vital part has died, else 503: restart it) and
 * {@code GET /health/ready} (200 when every readiness check passes, else 503 naming each failing one: send it no
 * traffic yet). Answers are JSON, {@code {"status":"UP"|"DOWN","checks":{name: "UP" | "DOWN: why"}}}. Its own thread,
 * the JDK's HTTP server: no event loop of the service is involved, so a busy service still answers.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService thread;

    private ManagementServer(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /** Serves {@code service}'s health; null when the settings serve nothing. */
    public static ManagementServer start(String name, ManagementSettings settings, RunningService service) {
        if (!settings.enabled()) {
            return null;
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("Cannot serve " + name + "'s health on " + settings.host()
                    + ":" + settings.port() + " (management.port): " + e.getMessage(), e));
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-management");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.createContext("/", exchange -> answer(exchange, service));
        server.start();
        LOG.info("{} health at http://{}:{}/health/ready and /health/live", name, settings.host(),
                server.getAddress().getPort());
        return new ManagementServer(server, thread);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, RunningService service) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/health/live") && !path.equals("/health/ready")) {
                send(exchange, 404, Map.of("error", "no such resource: " + path
                        + " (this port serves /health/live and /health/ready)"));
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, Map.of("error", method + " is not allowed here; use GET"));
            } else if (path.equals("/health/live")) {
                send(exchange, liveness(service));
            } else {
                send(exchange, readiness(service));
            }
        }
    }

    static Status liveness(RunningService service) {
        var failed = service.failed().toCompletableFuture();
        if (failed.isDone() && !failed.isCompletedExceptionally()) {
            return new Status(false, Map.of("vital-parts", "DOWN: " + failed.join().getMessage()));
        }
        return new Status(true, Map.of("vital-parts", "UP"));
    }

    static Status readiness(RunningService service) {
        Status live = liveness(service);
        Map<String, String> checks = new LinkedHashMap<>(live.checks());
        boolean up = live.up();
        for (Map.Entry<String, ReadinessCheck> check : service.readiness().entrySet()) {
            String problem;
            try {
                problem = check.getValue().problem();
            } catch (RuntimeException e) {
                problem = "the check failed: " + e;
            }
            checks.put(check.getKey(), problem == null ? "UP" : "DOWN: " + problem);
            up &= problem == null;
        }
        return new Status(up, checks);
    }

    /** A health answer: up or down, and each check's state. */
    record Status(boolean up, Map<String, String> checks) {
    }

    private static void send(HttpExchange exchange, Status status) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.up() ? "UP" : "DOWN");
        body.put("checks", status.checks());
        send(exchange, status.up() ? 200 : 503, body);
    }

    private static void send(HttpExchange exchange, int code, Map<String, ?> body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            bytes = ("{\"error\":\"" + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
