package io.samplingbroker.serviceruntime.health;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
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
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.RunningService;

/**
 * A service's management port: {@code GET /health/live} (200 while no vital part has died, else 503: restart it),
 * {@code GET /health/ready} (200 when every readiness check passes, else 503 naming each failing one: send it no
 * traffic yet) and {@code GET /metrics} (the service's metrics in Prometheus' text format, or OpenMetrics when the
 * scraper asks for it; behind basic auth when {@link ManagementSettings#auth()} is set). Health answers are JSON,
 * {@code {"status":"UP"|"DOWN","checks":{name: "UP" | "DOWN: why"}}}. HTTPS when {@link ManagementSettings#tls()} is
 * set. Its own thread, the JDK's HTTP server: no event loop of the service is involved, so a busy service still
 * answers.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATHS = "/health/live, /health/ready and /metrics";

    private final HttpServer server;
    private final ExecutorService thread;

    private ManagementServer(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /** Serves {@code service}'s health and metrics; null when the settings serve nothing. */
    public static ManagementServer start(String name, ManagementSettings settings, RunningService service) {
        if (!settings.enabled()) {
            return null;
        }
        HttpServer server;
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        try {
            if (settings.tls() == null) {
                server = HttpServer.create(address, 16);
            } else {
                HttpsServer https = HttpsServer.create(address, 16);
                https.setHttpsConfigurator(new HttpsConfigurator(ManagementTls.context(settings.tls())));
                server = https;
            }
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
        String expectedAuthorization = settings.auth() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (settings.auth().username() + ":" + settings.auth().password()).getBytes(StandardCharsets.UTF_8));
        server.createContext("/", exchange -> answer(exchange, name, service, expectedAuthorization));
        server.start();
        String scheme = settings.tls() == null ? "http" : "https";
        LOG.info("{} health at {}://{}:{}/health/ready and /health/live, metrics at /metrics{}", name, scheme,
                settings.host(), server.getAddress().getPort(), settings.auth() == null ? "" : " (basic auth)");
        return new ManagementServer(server, thread);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, String name, RunningService service,
            String expectedAuthorization) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/health/live") && !path.equals("/health/ready") && !path.equals("/metrics")) {
                send(exchange, 404, Map.of("error", "no such resource: " + path + " (this port serves " + PATHS + ")"));
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, Map.of("error", method + " is not allowed here; use GET"));
            } else if (path.equals("/health/live")) {
                send(exchange, liveness(service));
            } else if (path.equals("/health/ready")) {
                send(exchange, readiness(service));
            } else if (!authorized(exchange, expectedAuthorization)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + name + " metrics\"");
                send(exchange, 401, Map.of("error", "the metrics need the credentials of management.auth"));
            } else {
                String accept = exchange.getRequestHeaders().getFirst("Accept");
                send(exchange, 200, ServiceMetrics.contentType(accept),
                        service.metrics().scrape(accept).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static boolean authorized(HttpExchange exchange, String expectedAuthorization) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expectedAuthorization.getBytes(StandardCharsets.UTF_8));
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
        send(exchange, code, "application/json", bytes);
    }

    private static void send(HttpExchange exchange, int code, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
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
