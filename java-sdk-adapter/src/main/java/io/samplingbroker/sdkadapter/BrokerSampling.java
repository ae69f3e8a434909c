package io.samplingbroker.sdkadapter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;

/**
 * The sampling handler of an MCP Java SDK client that hands every request to the Sampling Broker's delegation API
 * ({@code POST /v1/sampling}), so that the broker's policy, review, models and audit decide it:
 *
 * <pre>{@code
 * McpSyncClient client = McpClient.sync(transport)
 *         .capabilities(new ClientCapabilities(null, null, new ClientCapabilities.Sampling(), null))
 *         .sampling(BrokerSampling.to(URI.create("http://127.0.0.1:8080"), "everything").credential(apiKey).build())
 *         .build();
 * }</pre>
 *
 * One handler per server connection: the SDK does not tell a handler which server asks, so it is named here. A
 * request the broker answers is the handler's result; one it denies, that fails or expires is an {@link McpError}
 * with the broker's JSON-RPC error, which the SDK sends the server as it is. A request that waits longer than one
 * HTTP exchange is long-polled; one the handler gives up on ({@link Builder#timeout}) is cancelled at the broker.
 * A lost connection is retried under the same {@code Idempotency-Key}, so the broker makes one request of it.
 * The SDK runs the handler on a thread of its own, so it blocks.
 */
public final class BrokerSampling implements Function<CreateMessageRequest, CreateMessageResult> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSampling.class);
    /** How long one HTTP exchange waits for the outcome at the broker before it answers with the request pending. */
    static final Duration POLL = Duration.ofSeconds(25);
    /** What a poll that lost its connection stands for: no news. */
    private static final JsonNode PENDING = new ObjectMapper().createObjectNode().put("status", "pending");
    /** Names the broker instance that holds a request. */
    static final String INSTANCE_HEADER = "X-Sampling-Broker-Instance";

    private final URI api;
    private final String server;
    private final String session;
    private final String credential;
    private final String hostId;
    private final Duration timeout;
    private final HttpClient http;
    private final DelegationJson json;

    private BrokerSampling(Builder builder) {
        this.api = URI.create(stripSlash(builder.broker.toString()) + "/v1/sampling");
        this.server = builder.server;
        this.session = builder.session;
        this.credential = builder.credential;
        this.hostId = builder.hostId;
        this.timeout = builder.timeout;
        this.http = builder.http == null ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                : builder.http;
        this.json = new DelegationJson(builder.mapper == null ? new ObjectMapper() : builder.mapper);
    }

    /**
     * A handler for the connection to {@code server}, sending to the broker at {@code broker} (its gateway's base
     * URL, {@code http://host:port}).
     */
    public static Builder to(URI broker, String server) {
        return new Builder(broker, server);
    }

    @Override
    public CreateMessageResult apply(CreateMessageRequest request) {
        Instant giveUp = Instant.now().plus(timeout);
        // the broker may keep the request as long as the handler waits: a reviewer may take minutes
        String body = json.requestBody(request, server, session, timeout);
        Exchange answer = post(body, UUID.randomUUID().toString());
        String id = answer.body().path("id").asText();
        String instance = answer.instance();
        try {
            while ("pending".equals(answer.body().path("status").asText())) {
                Duration left = Duration.between(Instant.now(), giveUp);
                if (left.isNegative() || left.isZero()) {
                    throw DelegationJson.error(DelegationJson.SAMPLING_EXPIRED, "The broker did not answer sampling"
                            + " request " + id + " within " + timeout.toSeconds() + " s; it was cancelled", null);
                }
                answer = poll(id, instance, left);
            }
        } catch (RuntimeException e) {
            cancel(id, instance); // nobody will wait for it any more
            throw e;
        }
        LOG.debug("Sampling request {} for server {}: {}", id, server, answer.body().path("status").asText());
        return json.outcome(answer.body());
    }

    /** One broker answer, and the instance that holds the request (its GET and DELETE go there). */
    private record Exchange(JsonNode body, String instance) {
    }

    /** The POST, once more under the same key if the connection broke (the broker then makes one request of both). */
    private Exchange post(String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api).timeout(POLL.plusSeconds(30))
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .header("Prefer", "wait=" + Math.min(POLL.toSeconds(), timeout.toSeconds()))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        try {
            return send(request, "POST");
        } catch (ConnectionLost lost) {
            LOG.info("Sampling request for server {}: {}; retrying under the same Idempotency-Key", server,
                    lost.getMessage());
            return send(request, "POST");
        }
    }

    /** A long poll; a broken connection is polled again (a GET changes nothing) while time is left. */
    private Exchange poll(String id, String instance, Duration left) {
        long waitSeconds = Math.max(1, Math.min(POLL.toSeconds(), left.toSeconds()));
        HttpRequest.Builder get = at(id, instance, "?wait=" + waitSeconds + "s")
                .timeout(Duration.ofSeconds(waitSeconds + 30)).GET();
        try {
            return send(get, "GET");
        } catch (ConnectionLost lost) {
            LOG.info("Sampling request {}: {}; polling again", id, lost.getMessage());
            pause();
            return new Exchange(PENDING, instance);
        }
    }

    /** Fire and forget: the handler is failing already (perhaps interrupted), and the broker's deadline ends it too. */
    private void cancel(String id, String instance) {
        http.sendAsync(authorized(at(id, instance, "").timeout(Duration.ofSeconds(30)).DELETE()).build(),
                HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                    if (failure != null) {
                        LOG.info("Could not cancel sampling request {}: {}", id, failure.toString());
                    }
                });
    }

    private HttpRequest.Builder at(String id, String instance, String query) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api + "/" + id + query));
        if (instance != null) {
            builder.header(INSTANCE_HEADER, instance); // for a load balancer that routes by it
        }
        return builder;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        if (credential != null) {
            builder.header("Authorization", "Bearer " + credential);
        }
        if (hostId != null) {
            builder.header("X-Sampling-Host-Id", hostId);
        }
        return builder;
    }

    private Exchange send(HttpRequest.Builder builder, String method) {
        HttpResponse<String> response;
        try {
            response = http.send(authorized(builder).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectionLost(method + " " + api + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DelegationJson.error(DelegationJson.INTERNAL_ERROR, "Interrupted while waiting for the broker", null);
        }
        return new Exchange(json.answer(response.statusCode(), response.body()),
                response.headers().firstValue(INSTANCE_HEADER).orElse(null));
    }

    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DelegationJson.error(DelegationJson.INTERNAL_ERROR, "Interrupted while waiting for the broker", null);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The broker could not be reached, or the connection broke before its answer. */
    private static final class ConnectionLost extends McpError {
        ConnectionLost(String message) {
            super(new JSONRPCError(DelegationJson.INTERNAL_ERROR, "Sampling broker unavailable: " + message, null));
        }
    }

    /** How the handler reaches the broker. */
    public static final class Builder {

        private final URI broker;
        private final String server;
        private String session;
        private String credential;
        private String hostId;
        private Duration timeout = Duration.ofMinutes(10);
        private HttpClient http;
        private ObjectMapper mapper;

        private Builder(URI broker, String server) {
            this.broker = Objects.requireNonNull(broker, "broker");
            if (server == null || !server.matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException("The server name must be 1-100 letters, digits, '.', '_' or '-',"
                        + " as the broker's policy names it; got '" + server + "'");
            }
            this.server = server;
        }

        /** The host's API key ({@code sbk_...}) or OAuth access token; none when the broker does not authenticate. */
        public Builder credential(String credential) {
            this.credential = credential;
            return this;
        }

        /** The host's name ({@code X-Sampling-Host-Id}): its identity when unauthenticated, a label otherwise. */
        public Builder hostId(String hostId) {
            this.hostId = hostId;
            return this;
        }

        /** The host's session with the server, which the broker's per-session limit counts by. */
        public Builder session(String session) {
            this.session = session;
            return this;
        }

        /**
         * The longest the handler waits for an outcome (10 min by default, for a human review); then it cancels the
         * request and fails. The broker keeps the request as long (its {@code ttlMs}), so this must not pass the
         * broker's {@code broker.sampling.task.max.ttl.ms} (1 h by default), or every request is refused.
         */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.toSeconds() < 1) {
                throw new IllegalArgumentException("The timeout must be at least a second, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The HTTP client to use (a proxy, TLS settings); a client of its own otherwise. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** The Jackson mapper the SDK's records are written with; a plain one otherwise. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = mapper;
            return this;
        }

        public BrokerSampling build() {
            return new BrokerSampling(this);
        }
    }

    /** For a host's logs: where it sends, never its credential. */
    @Override
    public String toString() {
        return "BrokerSampling[" + api + ", server=" + server + ", credential=" + (credential == null ? "none"
                : "[redacted]") + "]";
    }
}
