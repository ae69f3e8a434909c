package io.samplingbroker.broker.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.broker.ProxySession;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.broker.upstream.Upstreams;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * 2026-07-28 hosts in front of legacy servers: the broker holds a legacy session on the host's behalf, one per host and
 * server, opened with the envelope of the host's first call and closed when idle. Each host call goes over it under
 * an id of the broker's (hosts' ids may repeat across calls); the server's sampling is answered as on any session. A
 * legacy server's other requests to its client (elicitation, roots) cannot be passed to a host that has no session:
 * they are answered with an error that says so.
 */
final class LegacySessionPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LegacySessionPool.class);

    private final Upstreams upstreams;
    private final SamplingDispatcher dispatcher;
    private final Map<String, CompletableFuture<PooledSession>> sessions = new ConcurrentHashMap<>();

    LegacySessionPool(Upstreams upstreams, SamplingDispatcher dispatcher) {
        this.upstreams = upstreams;
        this.dispatcher = dispatcher;
    }

    /** The session of {@code host} to {@code spec}, opened with {@code envelope} if there is none yet. */
    CompletionStage<PooledSession> session(UpstreamSpec spec, HostIdentity host, Envelope envelope) {
        String key = host.id() + "\u0000" + spec.name();
        CompletableFuture<PooledSession> opening = new CompletableFuture<>();
        // One session per host and server, also when calls race: the first to find none (or a failed one) opens it.
        CompletableFuture<PooledSession> current = sessions.compute(key,
                (k, existing) -> existing == null || existing.isCompletedExceptionally() ? opening : existing);
        if (current != opening) {
            return current;
        }
        open(spec, host, envelope, () -> sessions.remove(key, opening)).whenComplete((session, failure) -> {
            if (failure != null) {
                sessions.remove(key, opening);
                opening.completeExceptionally(failure);
            } else {
                opening.complete(session);
            }
        });
        return opening;
    }

    private CompletionStage<PooledSession> open(UpstreamSpec spec, HostIdentity host, Envelope envelope,
            Runnable onClosed) {
        String sessionId = "pool-" + UUID.randomUUID();
        return upstreams.connectSession(spec).thenCompose(upstream -> {
            PooledSession pooled = new PooledSession(spec.name(), host.id());
            ProxySession proxy = new ProxySession(sessionId, spec.name(), host, upstream, dispatcher, pooled);
            pooled.attach(proxy);
            return proxy.start(reason -> {
                onClosed.run();
                pooled.endAll(reason);
            }).thenCompose(started -> pooled.initialize(envelope)).thenApply(initialized -> {
                LOG.info("Session {} held for 2026-07-28 host {} to legacy server '{}' ({})", sessionId, host.id(),
                        spec.name(), JsonMembers.string(pooled.initializeResult(), "protocolVersion"));
                return pooled;
            });
        });
    }

    /** Closes the sessions no call used for {@code idle}. */
    void closeIdle(Duration idle) {
        long limit = System.nanoTime() - idle.toNanos();
        sessions.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).map(CompletableFuture::join)
                .filter(session -> session.lastUsedNanos() < limit)
                .forEach(session -> session.proxy().close("idle for " + idle.toMinutes() + " min"));
    }

    @Override
    public void close() {
        List<CompletableFuture<?>> ending = sessions.values().stream()
                .filter(f -> f.isDone() && !f.isCompletedExceptionally()).map(CompletableFuture::join)
                .map(session -> session.proxy().close("broker stopping").toCompletableFuture())
                .<CompletableFuture<?>>map(f -> f).toList();
        CompletableFuture.allOf(ending.toArray(CompletableFuture[]::new)).orTimeout(15, java.util.concurrent.TimeUnit.SECONDS)
                .exceptionally(failure -> null).join();
    }

    /** One held session: the broker is its host, and hands each response to the call that waits for it. */
    static final class PooledSession implements ProxySession.HostChannel {

        private final String serverName;
        private final String hostId;
        private final AtomicLong ids = new AtomicLong();
        private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
        private ProxySession proxy;
        private volatile JsonObject initializeResult;
        private volatile long lastUsedNanos = System.nanoTime();

        private record Waiting(String hostIdJson, CompletableFuture<JsonRpcMessage> response) {
        }

        PooledSession(String serverName, String hostId) {
            this.serverName = serverName;
            this.hostId = hostId;
        }

        void attach(ProxySession proxy) {
            this.proxy = proxy;
        }

        ProxySession proxy() {
            return proxy;
        }

        long lastUsedNanos() {
            return lastUsedNanos;
        }

        /** The server's initialize result: what a 2026-07-28 host's {@code server/discover} learns of it. */
        JsonObject initializeResult() {
            return initializeResult;
        }

        /** One call in flight on the session. */
        record Call(String sessionIdJson, CompletionStage<JsonRpcMessage> response) {
        }

        CompletionStage<Void> initialize(Envelope envelope) {
            JsonObject params = new JsonObject().put("protocolVersion", ProtocolVersions.LEGACY)
                    .put("capabilities", envelope.clientCapabilities()).put("clientInfo", envelope.clientInfo());
            JsonRpcMessage initialize = JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", 0)
                    .put("method", "initialize").put("params", params));
            return call(initialize).response().thenCompose(response -> {
                if (!(response.json().getValue("result") instanceof JsonObject result)) {
                    throw new IllegalStateException("initialize failed: " + response.text());
                }
                initializeResult = result;
                return proxy.fromHost(JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0")
                        .put("method", "notifications/initialized")));
            });
        }

        /**
         * Sends one host call over the session under an id of the broker's; completes with the server's response, its
         * id the host's again.
         */
        Call call(JsonRpcMessage request) {
            lastUsedNanos = System.nanoTime();
            String sessionIdJson = Json.encode("sampling-broker-call:" + ids.incrementAndGet());
            JsonObject json = request.json().copy().put("id", Json.decodeValue(sessionIdJson));
            if (json.getValue("params") instanceof JsonObject params) {
                json.put("params", withoutEnvelope(params));
            }
            Waiting call = new Waiting(request.idJson(), new CompletableFuture<>());
            waiting.put(sessionIdJson, call);
            proxy.fromHost(JsonRpcMessage.of(json)).whenComplete((sent, failure) -> {
                if (failure != null && waiting.remove(sessionIdJson) != null) {
                    call.response().complete(JsonRpc.error(request.idJson(), SamplingErrors.INTERNAL_ERROR,
                            "Could not relay to server '" + serverName + "': " + failure.getMessage(), null));
                }
            });
            return new Call(sessionIdJson, call.response());
        }

        /** The host left: the server is told, as a host on a session would tell it, and answers nothing more. */
        void cancel(Call call, String reason) {
            if (waiting.remove(call.sessionIdJson()) != null) {
                proxy.fromHost(JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("method",
                        "notifications/cancelled").put("params", new JsonObject()
                        .put("requestId", Json.decodeValue(call.sessionIdJson())).put("reason", reason))));
            }
        }

        /** The envelope means nothing to a legacy server; every other {@code _meta} key is kept. */
        private static JsonObject withoutEnvelope(JsonObject params) {
            JsonObject copy = params.copy();
            if (copy.getValue("_meta") instanceof JsonObject meta) {
                meta.remove(Envelope.PROTOCOL_VERSION);
                meta.remove(Envelope.CLIENT_CAPABILITIES);
                meta.remove(Envelope.CLIENT_INFO);
                if (meta.isEmpty()) {
                    copy.remove("_meta");
                }
            }
            return copy;
        }

        /** A 2026-07-28 host behind a session the broker holds cannot be sent requests: the server's go unanswered. */
        @Override
        public boolean takesRequests() {
            return false;
        }

        @Override
        public void send(JsonRpcMessage message) {
            switch (message.kind()) {
                case RESPONSE -> {
                    Waiting call = waiting.remove(message.idJson());
                    if (call == null) {
                        LOG.debug("Held session to '{}': response {} answers no call", serverName, message.idJson());
                    } else {
                        call.response().complete(call.hostIdJson() == null ? message
                                : message.withId(call.hostIdJson()));
                    }
                }
                case REQUEST -> proxy.fromHost(JsonRpc.error(message.idJson(), JsonRpc.METHOD_NOT_FOUND,
                        message.method() + " cannot reach host " + hostId + ": it speaks 2026-07-28, where a server"
                                + " asks for input with input_required, and this server uses the session era", null));
                case NOTIFICATION -> LOG.debug("Held session to '{}': notification {} not passed to the host", serverName,
                        message.method());
                default -> throw new IllegalStateException(message.kind().name());
            }
        }

        /** The session ended: every call still waiting gets an error. */
        void endAll(String reason) {
            waiting.forEach((id, call) -> call.response().complete(JsonRpc.error(call.hostIdJson(),
                    SamplingErrors.INTERNAL_ERROR, "The session to server '" + serverName + "' ended: " + reason, null)));
            waiting.clear();
        }
    }
}
