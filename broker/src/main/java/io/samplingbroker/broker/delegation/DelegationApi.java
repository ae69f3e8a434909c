package io.samplingbroker.broker.delegation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.broker.gateway.HostAuthentication;
import io.samplingbroker.broker.gateway.HostIdentities;
import io.samplingbroker.broker.gateway.HostQuotas;
import io.samplingbroker.broker.gateway.Refusals;
import io.samplingbroker.broker.gateway.RequestGuard;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.sampling.SamplingOrigin;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.mediatype.MediaTypeRegistry;

/**
 * The delegation API, {@code /v1/sampling}: a host that answers MCP sampling itself hands each request to the broker,
 * which submits it like the gateway's (the same events, policy, review, models and audit) and answers with the
 * {@code SamplingRequest} of {@code openapi.json}. The routes are built from that document, which also validates
 * every request (as the Strimzi HTTP bridge does); every refusal is an {@link ApiProblem}. Never blocks the event
 * loop.
 */
public final class DelegationApi {

    private static final Logger LOG = LoggerFactory.getLogger(DelegationApi.class);
    /** The prefix of the document's paths. */
    public static final String BASE = "/v1";
    /** The document, on the classpath and at {@code /v1/openapi.json}. */
    public static final String DOCUMENT = "/delegation/openapi.json";
    /** Names the instance that holds a request: its GET and DELETE must reach that one. */
    public static final String INSTANCE_HEADER = "X-Sampling-Broker-Instance";
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final SamplingDispatcher dispatcher;
    private final DelegationSettings settings;
    private final Clock clock;
    private final DelegatedRequests requests;
    /** As written: Vert.x annotates the tree it is given, so it gets a copy. */
    private final String document;
    private final AtomicLong jsonRpcIds = new AtomicLong();
    private long sweeper = -1;
    /** Set by {@link #drain()} on the stopping thread, read on the event loop. */
    private volatile boolean draining;

    public DelegationApi(Vertx vertx, SamplingDispatcher dispatcher, DelegationSettings settings, Clock clock) {
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.clock = clock;
        this.requests = new DelegatedRequests(clock, settings, this::forgotten);
        this.document = readDocument().encode();
    }

    /** A concluded request dropped before its host fetched the outcome: counted, as the gateway counts a reply lost. */
    private void forgotten(DelegatedRequest request) {
        SamplingOutcome.Reply reply = request.takeReplyToDeliver();
        if (reply != null) {
            LOG.info("Delegated sampling request {} dropped ({}) before its host fetched the outcome",
                    request.requestId, request.status().wireName());
            dispatcher.undelivered(reply);
        }
    }

    /** The OpenAPI document the routes are built from. */
    public static JsonObject readDocument() {
        try (InputStream in = DelegationApi.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the broker's classpath");
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document as the contract its routes validate against; {@code document} is read anew (Vert.x annotates it). */
    static Future<OpenAPIContract> contract(Vertx vertx, String document) {
        MediaTypeRegistry mediaTypes = MediaTypeRegistry.createDefault().register(ProblemMediaType.INSTANCE);
        return OpenAPIContract.builder(vertx).setContract(new JsonObject(document)).mediaTypeRegistry(mediaTypes)
                .build();
    }

    /**
     * Adds the API to the gateway's router: the same DNS-rebinding guard, host authentication and per-host limit of
     * requests in flight as {@code /mcp}. Completes once the document is read and its routes are in place.
     */
    public Future<Void> mount(Router router, RequestGuard guard, HostAuthentication authentication,
            HostQuotas quotas, long bodyLimit) {
        return contract(vertx, document).map(contract -> {
            Router api = routesOf(contract);
            guardRoutes(router, guard, authentication, quotas, bodyLimit, dispatcher.instanceId());
            // the document's paths are whole (Vert.x takes no relative server URL), so nothing is stripped
            // here; the gateway's routes come first and answer every /mcp request themselves
            router.route("/*").subRouter(api);
            fallbackRoutes(router, bodyLimit);
            sweeper = vertx.setPeriodic(10_000, id -> requests.prune());
            return null;
        });
    }

    /** One route per operation of the document, each validating its requests against it. */
    private Router routesOf(OpenAPIContract contract) {
        RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
        for (OpenAPIRoute route : builder.getRoutes()) {
            route.setDoSecurity(false); // guardRoutes: the gateway's HostAuthentication, for every kind of credential
        }
        builder.getRoute("createSampling").addHandler(this::create);
        builder.getRoute("getSampling").addHandler(this::get);
        builder.getRoute("cancelSampling").addHandler(this::cancel);
        builder.getRoute("getOpenApi").addHandler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end(document));
        return builder.createRouter();
    }

    /**
     * What runs before an operation: DNS rebinding, the media type, the body, who the host is, its limit; every
     * answer names the instance.
     */
    private static void guardRoutes(Router router, RequestGuard guard, HostAuthentication authentication,
            HostQuotas quotas, long bodyLimit, String instanceId) {
        String all = BASE + "/*";
        Refusals problems = (response, status, message) -> ApiProblem.of(status, message).send(response);
        router.route(all).handler(ctx -> {
            ctx.response().putHeader(INSTANCE_HEADER, instanceId);
            guard.handle(ctx, problems);
        });
        router.post(BASE + "/sampling").handler(ctx -> {
            if (String.valueOf(ctx.request().getHeader("Content-Type")).startsWith("application/json")) {
                ctx.next();
            } else {
                ApiProblem.of(415, "Content-Type must be application/json").send(ctx.response());
            }
        });
        router.route(all).handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
        String sampling = BASE + "/sampling/*"; // also /v1/sampling itself
        router.route(sampling).handler(ctx -> authentication.handle(ctx, problems));
        router.route(sampling).handler(ctx -> holdCall(ctx, quotas));
    }

    /** A method or a path the document does not name, and a failed route: each a problem too. */
    private static void fallbackRoutes(Router router, long bodyLimit) {
        String all = BASE + "/*";
        router.route(all).handler(ctx -> {
            String path = ctx.request().path();
            String allowed = path.equals(BASE + "/sampling") ? "POST"
                    : path.matches("/v1/sampling/[^/]+") ? "GET, DELETE"
                    : path.equals(BASE + "/openapi.json") ? "GET" : null;
            if (allowed != null) {
                ctx.response().putHeader("Allow", allowed);
                ApiProblem.of(405, ctx.request().method() + " is not an operation of " + path + ": use " + allowed)
                        .send(ctx.response());
            } else {
                ApiProblem.of(404, "No such resource: " + ctx.request().method() + " " + path + " (see " + BASE
                        + "/openapi.json)").send(ctx.response());
            }
        });
        router.route(all).failureHandler(ctx -> {
            ApiProblem problem = ApiProblem.ofFailure(ctx.statusCode(), ctx.failure(), bodyLimit);
            if (problem.status() >= 500) {
                LOG.error("Delegation API request {} {} failed", ctx.request().method(), ctx.request().path(),
                        ctx.failure());
            }
            problem.send(ctx.response());
        });
    }

    /** A request in flight counts against the host's {@code broker.limits.calls.per.host}, as on {@code /mcp}. */
    private static void holdCall(RoutingContext ctx, HostQuotas quotas) {
        String key = HostIdentities.of(ctx).key();
        HostQuotas.Refusal full = quotas.startCall(key);
        if (full != null) {
            ctx.response().putHeader("Retry-After", Long.toString(full.retryAfter().toSeconds()));
            ApiProblem.of(429, full.message()).send(ctx.response());
            return;
        }
        ctx.addEndHandler(ended -> quotas.callEnded(key));
        ctx.next();
    }

    /** The instance is stopping: new requests go to another one (503), the ones held here are still served. */
    public void drain() {
        draining = true;
    }

    /** Stops pruning; the outcomes no host fetched are counted as undelivered. */
    public void close() {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        requests.forgetAll();
    }

    private void create(RoutingContext ctx) {
        if (draining) {
            ctx.response().putHeader("Retry-After", "0");
            ApiProblem.of(503, "This broker instance is stopping: send the request to another instance")
                    .send(ctx.response());
            return;
        }
        JsonNode exact;
        try {
            exact = DelegationBody.exact(ctx.body().asString());
        } catch (InvalidSamplingJsonException notStrictJson) {
            ApiProblem.of(400, "Invalid request body: " + notStrictJson.getMessage()).send(ctx.response());
            return;
        }
        ApiProblem refusal = DelegationBody.check(exact, dispatcher.limits().maxTaskTtl());
        if (refusal != null) {
            refusal.send(ctx.response());
            return;
        }
        DelegationBody body = DelegationBody.of(ctx.body().asJsonObject(), exact, dispatcher.limits().deadline());
        HostIdentity host = HostIdentities.of(ctx);
        String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
        String digest = idempotencyKey == null ? null : digest(ctx.body().buffer().getBytes());
        DelegatedRequests.Admission admission = requests.admit(host.key(), idempotencyKey, digest,
                () -> submit(ctx, host, body, idempotencyKey, digest));
        if (admission instanceof DelegatedRequests.KeyReused reused) {
            ApiProblem.of(422, "Idempotency-Key " + idempotencyKey + " was used for another request body (request "
                    + reused.earlier().requestId + "): use a new key for a new request").about(
                    reused.earlier().requestId).send(ctx.response());
            return;
        }
        DelegatedRequest request;
        if (admission instanceof DelegatedRequests.Retried retried) {
            request = retried.request();
            LOG.info("Delegated sampling request {} retried by host {} (same Idempotency-Key)", request.requestId,
                    host.id());
            ctx.response().putHeader("Idempotent-Replayed", "true");
        } else {
            request = ((DelegatedRequests.Admitted) admission).request();
        }
        if (request.refusedAtOnce && answerRefusal(ctx, request)) {
            return;
        }
        ctx.response().putHeader("Location", BASE + "/sampling/" + request.requestId);
        WaitPreference preference = WaitPreference.ofPrefer(ctx.request().getHeader("Prefer"), settings.maxWait());
        if (preference.async()) {
            ctx.response().putHeader("Preference-Applied", "respond-async");
        }
        answerWhenDone(ctx, request, preference.patience(), 202);
    }

    /**
     * A request the dispatcher refused before the pipeline (invalid params, too large, a pending limit, a stopping
     * instance) is bad input or a limit here: a problem, with the request id its recorded refusal carries; the
     * delivery of that answer is recorded after it as on {@code /mcp}. False for a refusal that is an outcome.
     */
    private boolean answerRefusal(RoutingContext ctx, DelegatedRequest request) {
        SamplingOutcome.Reply refusal = (SamplingOutcome.Reply) request.outcome.getNow(null);
        ApiProblem problem = ApiProblem.ofRefusal(refusal.message().json().getJsonObject("error"), request.requestId);
        if (problem == null) {
            return false;
        }
        if (problem.status() == 429 || problem.status() == 503) {
            // a pending limit frees up within the second; a stopping instance is left for another at once
            ctx.response().putHeader("Retry-After", problem.status() == 429 ? "1" : "0");
        }
        SamplingOutcome.Reply reply = request.takeReplyToDeliver();
        deliveredOnceWritten(request, reply, problem.send(ctx.response()));
        return true;
    }

    private DelegatedRequest submit(RoutingContext ctx, HostIdentity host, DelegationBody read, String idempotencyKey,
            String digest) {
        String paramsJson = read.paramsJson();
        Duration waitFor = read.waitFor();
        String session = read.session();
        // a host's own session names are only unique to it; a request without one is a session of its own
        // escaped, so that no host name and session name together spell another host's
        String sessionId = session == null ? "delegated-" + UUID.randomUUID()
                : "delegated:" + URLEncoder.encode(host.key(), StandardCharsets.UTF_8) + "/"
                        + URLEncoder.encode(session, StandardCharsets.UTF_8);
        String server = read.server();
        SamplingOrigin origin = new SamplingOrigin(host, server, sessionId, null, read.protocolVersion(),
                read.triggeringCall(), null, null, ctx.request().getHeader("traceparent"));
        String idJson = "\"delegated-" + jsonRpcIds.incrementAndGet() + "\"";
        Instant now = clock.instant();
        SamplingDispatcher.Submitted submitted = dispatcher.submit(origin, JsonRpc.request(idJson,
                "sampling/createMessage", paramsJson), waitFor);
        LOG.info("Delegated sampling request {} from host {} for server {} ({} bytes)", submitted.requestId(),
                host.id(), server, paramsJson.length());
        return new DelegatedRequest(submitted.requestId(), host.key(), server, sessionId, idJson, now,
                now.plus(waitFor), idempotencyKey, digest,
                submitted.outcome().toCompletableFuture());
    }

    private void get(RoutingContext ctx) {
        DelegatedRequest request = find(ctx);
        if (request != null) {
            answerWhenDone(ctx, request, WaitPreference.ofQuery(ctx.request().getParam("wait"), settings.maxWait())
                    .patience(), 200);
        }
    }

    private void cancel(RoutingContext ctx) {
        DelegatedRequest request = find(ctx);
        if (request == null) {
            return;
        }
        request.cancelRequested();
        if (request.status() != DelegatedRequest.Status.PENDING || !dispatcher.cancel(request.sessionId,
                request.jsonRpcIdJson, "cancelled by the host (delegation API)", CancelledBy.HOST)) {
            ApiProblem.of(409, "Request " + request.requestId + " is already " + request.status().wireName()
                    + " and cannot be cancelled").about(request.requestId).send(ctx.response());
            return;
        }
        answerWhenDone(ctx, request, CANCEL_WAIT, 202);
    }

    /** The request of the path's id for the authenticated host, or null after a 404. */
    private DelegatedRequest find(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        DelegatedRequest request = requests.find(HostIdentities.of(ctx).key(), id);
        if (request == null) {
            ApiProblem.of(404, "No sampling request " + id + " of this host on broker instance "
                    + dispatcher.instanceId() + ": a request is held by the instance that accepted it (its "
                    + INSTANCE_HEADER + "), for " + requests.retention().toMinutes() + " min after its outcome")
                    .send(ctx.response());
        }
        return request;
    }

    /** Answers with the request once it has its outcome, or after {@code wait} as it stands then. */
    private void answerWhenDone(RoutingContext ctx, DelegatedRequest request, Duration wait, int pendingStatus) {
        if (request.outcome.isDone() || wait.isZero()) {
            answer(ctx, request, pendingStatus);
            return;
        }
        Context context = vertx.getOrCreateContext(); // the request's event loop: the outcome comes on a Kafka thread
        AtomicBoolean answered = new AtomicBoolean();
        Runnable answerOnce = () -> {
            if (answered.compareAndSet(false, true)) {
                answer(ctx, request, pendingStatus);
            }
        };
        long[] timer = new long[1];
        Runnable leave = request.onConcluded(() -> context.runOnContext(v -> {
            vertx.cancelTimer(timer[0]);
            answerOnce.run();
        }));
        timer[0] = vertx.setTimer(wait.toMillis(), id -> {
            leave.run();
            answerOnce.run();
        });
    }

    private void answer(RoutingContext ctx, DelegatedRequest request, int pendingStatus) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return; // the host went away; the request stays for a later GET (or a retry under its key)
        }
        boolean pending = request.status() == DelegatedRequest.Status.PENDING;
        if (pending) {
            ctx.response().putHeader("Retry-After", "1");
        }
        SamplingOutcome.Reply reply = pending ? null : request.takeReplyToDeliver();
        deliveredOnceWritten(request, reply, ctx.response().setStatusCode(pending ? pendingStatus : 200)
                .putHeader("Content-Type", "application/json").end(request.describe().encode()));
    }

    /**
     * The first answer that gives the host the outcome records its delivery once written; one that could not be
     * written leaves it to the next.
     */
    private void deliveredOnceWritten(DelegatedRequest request, SamplingOutcome.Reply reply, Future<Void> written) {
        if (reply == null) {
            return;
        }
        written.onComplete(done -> {
            if (done.succeeded()) {
                dispatcher.delivered(reply);
            } else {
                request.notHandedOver();
            }
        });
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
