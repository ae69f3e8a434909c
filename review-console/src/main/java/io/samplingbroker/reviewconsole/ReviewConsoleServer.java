package io.samplingbroker.reviewconsole;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.schemas.json.McpJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The review console's HTTP side (see console-api.md): the static page, the JSON API and the event stream, on
 * Vert.x. Nothing here blocks an event loop: passwords are checked on worker threads, Kafka is written and read on
 * the sender's and the view's own threads, and their answers come back through the event bus or
 * {@code runOnContext}.
 */
public final class ReviewConsoleServer {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewConsoleServer.class);
    /** Larger bodies get 413: an edited request with a few images fits well below it. */
    static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; media-src 'self' data:; "
            + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

    private final Vertx vertx;
    private final ReviewConsoleConfig config;
    private final ReviewQueue queue;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final DecisionOutcomes outcomes;
    private final AuthRoutes auth;
    private final OidcSignIn oidc;
    private final ReviewRoutes reviews;
    private final StaticFiles files;
    private final Function<TenantScope, ObjectNode> overview;
    /** Per server, so that two consoles in one JVM do not see each other's items. */
    private final String itemsAddress = "review-console.items." + UUID.randomUUID();
    private AutoCloseable subscription;
    private HttpServer server;
    private long sweeper = -1;

    public ReviewConsoleServer(Vertx vertx, ReviewConsoleConfig config, ReviewQueue queue, CommandSink commands,
            Function<TenantScope, ObjectNode> overview, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.queue = queue;
        this.sessions = new Sessions(config.sessionTtl(), config.sessionIdle(), clock);
        this.throttle = new LoginThrottle(clock);
        this.outcomes = new DecisionOutcomes(queue);
        this.auth = new AuthRoutes(vertx, config, sessions, throttle);
        this.oidc = config.oidc() == null ? null : OidcSignIn.discover(vertx, config.oidc(), auth, clock);
        this.reviews = new ReviewRoutes(queue, commands, outcomes, config.decisionTimeout(), clock);
        this.files = new StaticFiles(vertx);
        this.overview = overview;
    }

    /** Starts listening; the future gives the actual port. */
    public Future<Integer> listen() {
        // the summary is made once per change, on the queue's thread, and fanned out to every open stream
        // with the item's tenant beside it, so that each stream passes on only its reviewer's tenants
        subscription = queue.subscribe(change -> {
            if (change.item() != null) {
                String tenant = change.item().getContext().getTenant();
                vertx.eventBus().publish(itemsAddress, McpJson.write(ReviewJson.summary(change.item())),
                        tenant == null ? new DeliveryOptions() : new DeliveryOptions().addHeader(EventStream.TENANT,
                                tenant));
            }
        });
        sweeper = vertx.setPeriodic(60_000, id -> {
            sessions.removeExpired();
            throttle.prune();
        });
        return vertx.createHttpServer().requestHandler(router()).listen(config.port(), config.host()).map(listening -> {
            server = listening;
            LOG.info("Review console listening on http://{}:{}/ for reviewers {}", config.host(),
                    listening.actualPort(), new java.util.TreeSet<>(config.reviewers().keySet()));
            return listening.actualPort();
        });
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(ReviewConsoleServer::securityHeaders);
        router.route("/api/*").handler(ctx -> {
            ctx.response().putHeader("Cache-Control", "no-store");
            ctx.next();
        });
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.post("/api/*").handler(auth::requireOwnOrigin);
        router.post("/api/login").handler(auth::login);
        router.get("/api/sign-in-methods").handler(ctx -> json(ctx, 200, JsonNodeFactory.instance.objectNode()
                .put("password", !config.reviewers().isEmpty()).put("identityProvider", oidc != null)));
        if (oidc != null) {
            router.get("/api/oidc/login").handler(oidc::login);
            router.get("/api/oidc/callback").handler(oidc::callback);
        }
        router.route("/api/*").handler(auth::requireSession);
        router.post("/api/*").handler(auth::requireCsrfToken);
        router.get("/api/me").handler(auth::me);
        router.post("/api/logout").handler(auth::logout);
        router.get("/api/reviews").handler(reviews::list);
        router.get("/api/reviews/:id").handler(reviews::detail);
        router.post("/api/reviews/:id/decision").handler(reviews::decide);
        router.get("/api/overview").handler(ctx -> json(ctx, 200, overview.apply(
                ctx.<Sessions.Session>get(AuthRoutes.SESSION_KEY).tenants())));
        router.get("/api/events").handler(ctx -> EventStream.open(ctx, sessions, overview, itemsAddress));
        router.route("/api/*").handler(ctx -> ConsoleErrors.NOT_FOUND.send(ctx.response(),
                "No such API: " + ctx.request().method() + " " + ctx.request().path()));
        router.get("/").handler(files::serve);
        router.get("/:file").handler(files::serve);
        router.route().handler(ctx -> ConsoleErrors.NOT_FOUND.send(ctx.response(), "Not found"));
        for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
            router.errorHandler(status, ctx -> failed(ctx, status));
        }
        return router;
    }

    private static void failed(RoutingContext ctx, int status) {
        ConsoleErrors error = ConsoleErrors.ofStatus(status);
        if (status >= 500) {
            LOG.error("Review console: {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        }
        securityHeaders(ctx.response());
        error.send(ctx.response(), switch (error) {
            case BODY_TOO_LARGE -> "The body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MB";
            case INTERNAL -> "Something went wrong in the review console";
            default -> "Request refused (" + status + ")";
        });
    }

    private static void securityHeaders(RoutingContext ctx) {
        securityHeaders(ctx.response());
        ctx.next();
    }

    private static void securityHeaders(HttpServerResponse response) {
        response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Cross-Origin-Opener-Policy", "same-origin")
                .putHeader("Cross-Origin-Resource-Policy", "same-origin");
    }

    static void json(RoutingContext ctx, int status, ObjectNode body) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(McpJson.write(body));
        }
    }

    static boolean isJson(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
    }

    /** Stops listening and ends every open stream. */
    public Future<Void> close() {
        vertx.cancelTimer(sweeper);
        try {
            if (subscription != null) {
                subscription.close();
            }
        } catch (Exception e) {
            LOG.debug("Review console: closing the queue listener", e);
        }
        outcomes.close();
        return server == null ? Future.succeededFuture() : server.close();
    }
}
