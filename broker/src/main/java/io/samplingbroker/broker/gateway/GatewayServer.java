package io.samplingbroker.broker.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.GatewaySettings;
import io.samplingbroker.broker.ProxySession;
import io.samplingbroker.broker.auth.HostApiKeys;
import io.samplingbroker.broker.auth.HostPrincipal;
import io.samplingbroker.broker.delegation.DelegationApi;
import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.samplingbroker.broker.mcp.RequestStateSeal;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.upstream.UpstreamCapacityException;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.broker.upstream.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The MCP Streamable HTTP endpoint {@code /mcp/{server}}: one broker session per host session, each relayed to its
 * own upstream session. Never blocks the event loop: upstream I/O and Kafka run on their own threads.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /** Larger bodies are refused with 413: a sampling prompt with images fits well below it. */
    static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    private final Vertx vertx;
    private final Map<String, UpstreamSpec> servers;
    private final Upstreams upstreams;
    private final RequestGuard guard;
    private final HostAuthentication authentication;
    private final HostQuotas quotas;
    private final SessionlessCalls sessionlessCalls;
    private final LegacySessionPool legacySessions;
    private final SamplingDispatcher dispatcher;
    private final DelegationApi delegation;
    private final Duration idleTimeout;
    private final Map<String, HttpHostSession> sessions = new ConcurrentHashMap<>();
    private HttpServer server;
    private long sweeper;
    /** Set once by {@link #drain()} on the stopping thread, read on the event loop. */
    private volatile boolean draining;

    public GatewayServer(Vertx vertx, Map<String, UpstreamSpec> servers, Upstreams upstreams,
            SamplingDispatcher dispatcher, Duration idleTimeout, GatewaySettings settings, HostApiKeys apiKeys) {
        this.vertx = vertx;
        this.servers = Map.copyOf(servers);
        this.upstreams = upstreams;
        this.guard = new RequestGuard(settings);
        this.quotas = new HostQuotas(settings.limits());
        this.authentication = new HostAuthentication(vertx, settings.auth(), apiKeys);
        this.legacySessions = new LegacySessionPool(upstreams, dispatcher);
        this.sessionlessCalls = new SessionlessCalls(vertx, upstreams, dispatcher,
                new RequestStateSeal(settings.requestStateKey()), Clock.systemUTC(), legacySessions);
        this.dispatcher = dispatcher;
        this.delegation = new DelegationApi(vertx, dispatcher, settings.delegation(), Clock.systemUTC());
        this.idleTimeout = idleTimeout;
    }

    public Future<GatewayServer> listen(String host, int port) {
        Router router = Router.router(vertx);
        // /mcp without a name reaches the only configured server (some clients drop the path's last segment)
        if (authentication.required()) {
            router.get(HostAuthentication.METADATA_PATH + "/mcp/:server").handler(ctx -> authentication.metadata(ctx,
                    ctx.pathParam("server")));
            String metadata = HostAuthentication.METADATA_PATH;
            for (String path : new String[] {metadata + "/mcp", metadata}) {
                router.get(path).handler(ctx -> authentication.metadata(ctx, null));
            }
        }
        for (String path : new String[] {"/mcp/:server", "/mcp"}) {
            // DNS rebinding is refused before anything is read; then the body, then who the host is
            router.route(path).handler(ctx -> guard.handle(ctx, Refusals.JSON_RPC));
            router.route(path).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
            router.route(path).handler(authentication::handle);
            router.post(path).handler(this::post);
            router.get(path).handler(this::get);
            router.delete(path).handler(this::delete);
            router.route(path).handler(ctx -> GatewayErrors.http(ctx.response(), 405, null,
                    "Method not allowed: use POST, GET or DELETE"));
        }
        sweeper = vertx.setPeriodic(Math.max(1_000, idleTimeout.toMillis() / 4), id -> closeIdleSessions());
        return delegation.mount(router, guard, authentication, quotas, MAX_BODY_BYTES).compose(mounted ->
                vertx.createHttpServer().requestHandler(router).listen(port, host)).map(listening -> {
            server = listening;
            LOG.info("MCP gateway listening on http://{}:{}/mcp/<server> for servers {}", host, listening.actualPort(),
                    servers.keySet());
            return this;
        });
    }

    public int port() {
        return server.actualPort();
    }

    private void post(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        if (!contentType.startsWith("application/json")) {
            GatewayErrors.http(ctx.response(), 415, null, "Content-Type must be application/json");
            return;
        }
        JsonRpcMessage message;
        try {
            message = JsonRpcMessage.parse(ctx.body().asString());
        } catch (InvalidJsonRpcException e) {
            GatewayErrors.invalidMessage(ctx.response(), e);
            return;
        }
        if (draining && request.getHeader(McpHeaders.SESSION_ID) == null) {
            // a new session or a sessionless call belongs on an instance that stays: the host (or its load balancer)
            // retries there; the sessions held here finish
            ctx.response().putHeader("Retry-After", "0");
            GatewayErrors.http(ctx.response(), 503, message.idJson(), "This broker instance is stopping: send the"
                    + " request to another instance");
            return;
        }
        if (message.kind() == JsonRpcMessage.Kind.REQUEST && !callTaken(ctx, message)) {
            return;
        }
        UpstreamSpec spec = serverOf(ctx, message.idJson());
        if (spec == null) {
            return;
        }
        String version = request.getHeader(McpHeaders.PROTOCOL_VERSION);
        String sessionId = request.getHeader(McpHeaders.SESSION_ID);
        if (EnvelopeCheck.isSessionless(message, request.headers())) {
            sessionlessCalls.serve(ctx, spec, message); // its envelope and headers are checked there
            return;
        }
        if (version != null && !ProtocolVersions.isSupported(version)) {
            GatewayErrors.refused(ctx.response(), message, new EnvelopeCheck.Refusal(400, JsonRpc.UNSUPPORTED_VERSION,
                    "Unsupported protocol version " + version + " (" + McpHeaders.PROTOCOL_VERSION + "); supported: "
                            + ProtocolVersions.SUPPORTED, new JsonObject().put("supported",
                            new JsonArray(ProtocolVersions.SUPPORTED)).put("requested", version)));
            return;
        }
        if (sessionId == null) {
            if (message.isRequest("initialize")) {
                startSession(ctx, spec, message);
            } else {
                GatewayErrors.http(ctx.response(), 400, message.idJson(),
                        "Mcp-Session-Id header is required after initialize (or send a 2026-07-28 request, with its"
                                + " _meta envelope and MCP-Protocol-Version header)");
            }
            return;
        }
        HttpHostSession session = ownSession(ctx, sessionId);
        if (session == null) {
            GatewayErrors.http(ctx.response(), 404, message.idJson(), "Unknown or expired session " + sessionId
                    + ": initialize again");
            return;
        }
        relay(ctx, session, message, null);
    }

    private void startSession(RoutingContext ctx, UpstreamSpec spec, JsonRpcMessage initialize) {
        HostIdentity host = HostIdentities.of(ctx, initialize);
        String quotaKey = host.key();
        HostQuotas.Refusal full = quotas.openSession(quotaKey);
        if (full != null) {
            GatewayErrors.limitReached(ctx.response(), initialize, full);
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                quotas.sessionClosed(quotaKey);
            }
        };
        String sessionId = UUID.randomUUID().toString();
        HttpHostSession hostSide = new HttpHostSession(vertx.getOrCreateContext(), host.owner());
        upstreams.connectSession(spec).thenCompose(upstream -> {
            ProxySession proxy = new ProxySession(sessionId, spec.name(), host, upstream, dispatcher, hostSide);
            hostSide.attach(proxy);
            sessions.put(sessionId, hostSide);
            return proxy.start(reason -> {
                sessions.remove(sessionId);
                hostSide.endStreams();
                release.run();
            });
        }).whenComplete((started, failure) -> vertx.runOnContext(ignored -> {
            if (failure != null) {
                sessions.remove(sessionId);
                release.run();
                if (unwrap(failure) instanceof UpstreamCapacityException busy) {
                    GatewayErrors.limitReached(ctx.response(), initialize, new HostQuotas.Refusal(busy.getMessage(),
                            HostQuotas.SESSION_RETRY), 503);
                } else {
                    GatewayErrors.upstreamUnavailable(ctx.response(), initialize, spec.name(), unwrap(failure));
                }
                return;
            }
            LOG.info("Session {} opened to server '{}'", sessionId, spec.name());
            relay(ctx, hostSide, initialize, sessionId);
        }));
    }

    /** Counts the request against its host's requests in flight until its response ends; false when refused. */
    private boolean callTaken(RoutingContext ctx, JsonRpcMessage request) {
        String key = HostIdentities.of(ctx, request).key();
        HostQuotas.Refusal full = quotas.startCall(key);
        if (full != null) {
            GatewayErrors.limitReached(ctx.response(), request, full);
            return false;
        }
        ctx.addEndHandler(ended -> quotas.callEnded(key));
        return true;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private void relay(RoutingContext ctx, HttpHostSession session, JsonRpcMessage message, String newSessionId) {
        HttpServerResponse response = ctx.response();
        if (message.kind() == JsonRpcMessage.Kind.REQUEST) {
            session.openRequestStream(message.idJson(), response, newSessionId);
        } else {
            session.touch();
        }
        String traceParent = ctx.request().getHeader(McpHeaders.TRACEPARENT);
        session.proxy().fromHost(message, traceParent).whenComplete((sent, failure) -> vertx.runOnContext(ignored -> {
            if (failure != null) {
                GatewayErrors.relayFailed(response, message, failure);
            } else if (message.kind() != JsonRpcMessage.Kind.REQUEST) {
                response.setStatusCode(202).end();
            }
        }));
    }

    private void get(RoutingContext ctx) {
        HttpHostSession session = sessionOf(ctx);
        if (session != null) {
            session.openServerStream(ctx.response(), ctx.request().getHeader("Last-Event-ID"));
        }
    }

    private void delete(RoutingContext ctx) {
        HttpHostSession session = sessionOf(ctx);
        if (session != null) {
            session.proxy().close("host ended the session");
            ctx.response().setStatusCode(200).end();
        }
    }

    private HttpHostSession sessionOf(RoutingContext ctx) {
        if (serverOf(ctx, null) == null) {
            return null;
        }
        String sessionId = ctx.request().getHeader(McpHeaders.SESSION_ID);
        if (sessionId == null) {
            GatewayErrors.http(ctx.response(), ctx.request().method() == HttpMethod.GET ? 405 : 400, null,
                    "Mcp-Session-Id header is required (2026-07-28 has no session and no GET stream)");
            return null;
        }
        HttpHostSession session = ownSession(ctx, sessionId);
        if (session == null) {
            GatewayErrors.http(ctx.response(), 404, null, "Unknown or expired session " + sessionId);
        }
        return session;
    }

    /**
     * The session, when the host asking owns it: a session id is not a credential, so another principal's session is
     * as unknown to this host as one that never was.
     */
    private HttpHostSession ownSession(RoutingContext ctx, String sessionId) {
        HttpHostSession session = sessions.get(sessionId);
        HostPrincipal principal = HostAuthentication.principalOf(ctx);
        if (session == null || !Objects.equals(session.owner(), ownerOf(principal))) {
            return null;
        }
        return session;
    }

    private static String ownerOf(HostPrincipal principal) {
        return principal == null ? null : HostIdentity.ownerOf(principal.tenant(), principal.subject());
    }

    /** Refuses (403) a request from a host or origin that is not allowed; true when it did. */
    private UpstreamSpec serverOf(RoutingContext ctx, String idJson) {
        HttpServerRequest request = ctx.request();
        String name = ctx.pathParam("server");
        if (name == null && servers.size() == 1) {
            name = servers.keySet().iterator().next();
        }
        UpstreamSpec spec = name == null ? null : servers.get(name);
        if (spec == null) {
            GatewayErrors.http(request.response(), 404, idJson, name == null
                    ? "Name the server in the path, /mcp/<server>; configured: " + servers.keySet()
                    : "No upstream server named '" + name + "'; configured: " + servers.keySet());
        }
        return spec;
    }

    /** The host sessions (2025-11-25 Streamable HTTP) open on this instance. */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * The instance is stopping: from now on a request that would start something here (an {@code initialize}, a
     * 2026-07-28 call) is answered 503, while the sessions already held go on until they are closed.
     */
    public void drain() {
        draining = true;
        delegation.drain();
    }

    private void closeIdleSessions() {
        long limit = System.nanoTime() - idleTimeout.toNanos();
        sessions.values().stream().filter(s -> s.lastActivityNanos < limit)
                .forEach(s -> s.proxy().close("idle for " + idleTimeout.toMinutes() + " min"));
        legacySessions.closeIdle(idleTimeout);
    }

    /** Stops listening and ends every session, waiting (bounded) for upstream processes to stop. Not for event loops. */
    @Override
    public void close() {
        vertx.cancelTimer(sweeper);
        delegation.close();
        legacySessions.close();
        CompletableFuture<?>[] ending = sessions.values().stream()
                .map(session -> session.proxy().close("broker stopping").toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(ending).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Some upstream servers did not stop within 15 s: {}", e.toString());
        }
        if (server != null) {
            server.close().await();
        }
    }
}
