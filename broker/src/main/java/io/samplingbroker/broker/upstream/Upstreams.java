package io.samplingbroker.broker.upstream;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.samplingbroker.broker.mcp.InputRounds;
import io.vertx.core.Vertx;

/**
 * How the broker reaches each configured server: a stdio child process per host session, a legacy HTTP session per
 * host session, or, for a server that speaks 2026-07-28, one shared connection pool that every host's calls use.
 */
public final class Upstreams implements AutoCloseable {

    private final Vertx vertx;
    private final Map<String, SessionlessServer> sessionless;
    private final ServerEras eras;
    private final InputRounds rounds;

    public Upstreams(Vertx vertx, Map<String, UpstreamSpec> servers, InputRounds rounds, Clock clock) {
        this.vertx = vertx;
        this.rounds = rounds;
        Map<String, SessionlessServer> pools = new LinkedHashMap<>();
        servers.forEach((name, spec) -> {
            if (spec instanceof UpstreamSpec.Http http && http.protocol() != UpstreamSpec.Protocol.SESSION) {
                pools.put(name, new SessionlessServer(vertx, http));
            }
        });
        this.sessionless = Map.copyOf(pools);
        this.eras = new ServerEras(sessionless, clock);
    }

    public ServerEras eras() {
        return eras;
    }

    public InputRounds rounds() {
        return rounds;
    }

    /** A connection for one 2025-era host session to {@code spec}, in whichever era the server speaks. */
    public CompletionStage<UpstreamConnection> connectSession(UpstreamSpec spec) {
        return eras.of(spec).thenApply(era -> {
            if (era instanceof ServerEras.Era.Sessionless current && !current.alsoSessions()) {
                return new SessionBridge(sessionless.get(spec.name()), current.discovery(), rounds);
            }
            return spec instanceof UpstreamSpec.Stdio stdio ? new StdioUpstream(stdio)
                    : new HttpUpstream(vertx, (UpstreamSpec.Http) spec);
        });
    }

    @Override
    public void close() {
        sessionless.values().forEach(SessionlessServer::close);
    }
}
