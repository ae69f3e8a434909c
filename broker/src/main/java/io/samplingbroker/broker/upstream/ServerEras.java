package io.samplingbroker.broker.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Which era each configured server speaks, found the way the SDK v2 client finds it: {@code server/discover} first;
 * a server that does not list 2026-07-28 among its {@code supportedVersions} (or answers with an error) is legacy
 * and gets {@code initialize}. A server's configuration may pin either era. The answer is kept for a while, so a
 * server upgraded in place is found again without a broker restart.
 */
public final class ServerEras {

    /** The era a server speaks. */
    public sealed interface Era {

        /**
         * 2026-07-28: {@code discovery} is its {@code server/discover} result; {@code alsoSessions} when it keeps
         * 2025-era sessions too (the SDK v2's sessionful mode), so a 2025 host gets a real session, every 2025 feature
         * included.
         */
        record Sessionless(JsonObject discovery, boolean alsoSessions) implements Era {
        }

        /** 2025-11-25 and before: a session per host, opened with {@code initialize}. */
        record Session() implements Era {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerEras.class);
    static final Duration KEPT_FOR = Duration.ofMinutes(1);
    /** The broker's own envelope: it asks as itself, declaring what it answers for every host. */
    static final Envelope BROKER = new Envelope(ProtocolVersions.CURRENT, new JsonObject(),
            new JsonObject().put("name", "sampling-broker").put("version", "0.2")).withSampling();

    private record Known(Era era, Instant until) {
    }

    private final Map<String, SessionlessServer> sessionless;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Era>> inFlight = new ConcurrentHashMap<>();

    /** @param sessionless the HTTP servers that may speak 2026-07-28, by name (pinned-legacy ones left out) */
    public ServerEras(Map<String, SessionlessServer> sessionless, Clock clock) {
        this.sessionless = Map.copyOf(sessionless);
        this.clock = clock;
    }

    /**
     * The era of {@code spec}; completes exceptionally when the server cannot be reached (nothing is kept then), or
     * when a server pinned to 2026-07-28 does not discover as one.
     */
    public CompletionStage<Era> of(UpstreamSpec spec) {
        SessionlessServer server = sessionless.get(spec.name());
        if (server == null) {
            return CompletableFuture.completedFuture(new Era.Session());
        }
        Known cached = known.get(spec.name());
        if (cached != null && clock.instant().isBefore(cached.until())) {
            return CompletableFuture.completedFuture(cached.era());
        }
        // Calls that find no answer at once share one discovery instead of each probing the server.
        CompletableFuture<Era> discovering = new CompletableFuture<>();
        CompletableFuture<Era> shared = inFlight.putIfAbsent(spec.name(), discovering);
        if (shared != null) {
            return shared;
        }
        discover(spec, server, cached).whenComplete((era, failure) -> {
            inFlight.remove(spec.name(), discovering);
            if (failure != null) {
                discovering.completeExceptionally(failure);
            } else {
                discovering.complete(era);
            }
        });
        return discovering;
    }

    private CompletionStage<Era> discover(UpstreamSpec spec, SessionlessServer server, Known cached) {
        boolean pinned = spec instanceof UpstreamSpec.Http http && http.protocol() == UpstreamSpec.Protocol.SESSIONLESS;
        return server.exchange(discoverRequest(), Map.of(), ignored -> { }).thenCompose(answer -> {
            JsonObject discovery = discoveryOf(answer.message());
            return discovery == null ? CompletableFuture.completedFuture((Era) new Era.Session())
                    : server.opensSessions().thenApply(sessions -> (Era) new Era.Sessionless(discovery, sessions));
        }).thenApply(era -> {
            if (era instanceof Era.Session && pinned) {
                throw new IllegalStateException("server '" + spec.name() + "' is configured for "
                        + ProtocolVersions.CURRENT + " but its server/discover does not offer it");
            }
            if (cached == null || !cached.era().equals(era)) {
                LOG.info("Server '{}' speaks {}", spec.name(), era instanceof Era.Sessionless current
                        ? ProtocolVersions.CURRENT + (current.alsoSessions() ? " and keeps 2025-era sessions"
                                : " only (2025 hosts are bridged)")
                        : "the session era (initialize)");
            }
            known.put(spec.name(), new Known(era, clock.instant().plus(KEPT_FOR)));
            return era;
        });
    }

    /** The server in front of {@code name} when it speaks 2026-07-28, else null. */
    public SessionlessServer sessionless(String name) {
        return sessionless.get(name);
    }

    static JsonRpcMessage discoverRequest() {
        JsonObject params = BROKER.writeInto(new JsonObject());
        return JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", "sampling-broker-discover")
                .put("method", "server/discover").put("params", params));
    }

    /** The discovery result of a server that offers 2026-07-28, else null. */
    static JsonObject discoveryOf(JsonRpcMessage response) {
        if (response.json().getValue("result") instanceof JsonObject result
                && result.getValue("supportedVersions") instanceof JsonArray versions
                && versions.contains(ProtocolVersions.CURRENT)) {
            return result;
        }
        return null;
    }
}
