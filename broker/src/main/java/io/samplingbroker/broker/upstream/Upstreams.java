package io.samplingbroker.broker.upstream;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import io.samplingbroker.broker.mcp.InputRounds;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;

/**
 * How the broker reaches each configured server: a stdio child process per host session, a legacy HTTP session per
 * host session, or, for a server that speaks 2026-07-28, one shared connection pool that every host's calls use.
 *
 * <p>A legacy HTTP server's sessions share one client for what the broker sends that is not a request (the answers
 * to the server's sampling, notifications): those are answered at once, so a bounded pool serves every session, and
 * a busy one does not hold a socket per answer in flight (each session owning a pool of its own, 200 sessions at
 * 2,000 answers/s ran the benchmark's process out of file descriptors).
 */
public final class Upstreams implements AutoCloseable {

    /** Connections for the answers and notifications to one legacy HTTP server, all its sessions together. */
    static final int REPLY_CONNECTIONS = 32;

    private final Vertx vertx;
    private final Map<String, SessionlessServer> sessionless;
    private final ServerEras eras;
    private final InputRounds rounds;
    private final int maxStdioProcesses;
    private final Semaphore stdioProcesses;
    private final Map<String, HttpClient> replies = new ConcurrentHashMap<>();

    /** @param maxStdioProcesses how many servers may run as child processes at once, every session together */
    public Upstreams(Vertx vertx, Map<String, UpstreamSpec> servers, InputRounds rounds, Clock clock,
            int maxStdioProcesses) {
        this.vertx = vertx;
        this.maxStdioProcesses = maxStdioProcesses;
        this.stdioProcesses = new Semaphore(maxStdioProcesses);
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
            if (spec instanceof UpstreamSpec.Stdio stdio) {
                if (!stdioProcesses.tryAcquire()) {
                    throw new UpstreamCapacityException("Too many upstream server processes running ("
                            + "broker.limits.stdio.processes=" + maxStdioProcesses + "); try again later");
                }
                return new StdioUpstream(stdio, stdioProcesses::release);
            }
            return new HttpUpstream(vertx, (UpstreamSpec.Http) spec, replies.computeIfAbsent(spec.name(),
                    name -> vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(REPLY_CONNECTIONS))));
        });
    }

    @Override
    public void close() {
        sessionless.values().forEach(SessionlessServer::close);
        replies.values().forEach(HttpClient::close);
    }
}
