package io.samplingbroker.reviewconsole;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Sign-in, sessions and the checks every API request passes: the session cookie, the browser's Origin on POSTs
 * (a page elsewhere cannot post here even with a stolen token), and the CSRF token on POSTs.
 */
final class AuthRoutes {

    static final String COOKIE = "review_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_KEY = "review.session";
    private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);
    private static final int MAX_NAME_CHARS = 64;
    private static final int MAX_PASSWORD_CHARS = 1_024;

    private final Vertx vertx;
    private final Map<String, PasswordHashing.StoredHash> passwords = new HashMap<>();
    private final Map<String, TenantScope> tenants = new HashMap<>();
    private final Sessions sessions;
    private final LoginThrottle throttle;

    AuthRoutes(Vertx vertx, ReviewConsoleConfig config, Sessions sessions, LoginThrottle throttle) {
        this.vertx = vertx;
        config.reviewers().keySet().forEach(name -> {
            passwords.put(name, config.passwordOf(name));
            tenants.put(name, config.tenantsOf(name));
        });
        this.sessions = sessions;
        this.throttle = throttle;
    }

    void login(RoutingContext ctx) {
        if (!ReviewConsoleServer.isJson(ctx)) {
            ConsoleErrors.UNSUPPORTED_MEDIA_TYPE.send(ctx.response(), "Content-Type must be application/json");
            return;
        }
        Credentials credentials;
        try {
            credentials = credentials(ctx.body().asString());
        } catch (InvalidSamplingJsonException e) {
            ConsoleErrors.INVALID_REQUEST.send(ctx.response(), "Send {\"reviewer\": ..., \"password\": ...}");
            return;
        }
        String reviewer = credentials.reviewer();
        char[] password = credentials.password();
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
        long retryAfter = throttle.retryAfterSeconds(reviewer, address);
        if (retryAfter > 0) {
            LOG.warn("Review console: sign-in refused, too many failures (reviewer {}, address {})", known(reviewer),
                    address);
            ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
            ConsoleErrors.TOO_MANY_ATTEMPTS.send(ctx.response(), "Too many failed sign-ins; try again in "
                    + retryAfter + " s");
            return;
        }
        PasswordHashing.StoredHash stored = reviewer.length() > MAX_NAME_CHARS ? null : passwords.get(reviewer);
        boolean tooLong = password.length > MAX_PASSWORD_CHARS;
        // PBKDF2 is slow on purpose: run it on a worker thread, and as long for an unknown name as for a known one
        vertx.executeBlocking(() -> !tooLong && (stored == null ? PasswordHashing.verifyDecoy(password)
                : PasswordHashing.verify(password, stored)), false)
                .onComplete(verified -> {
                    java.util.Arrays.fill(password, '\0');
                    if (verified.succeeded() && verified.result()) {
                        signIn(ctx, reviewer, address);
                    } else {
                        throttle.failed(reviewer, address);
                        LOG.warn("Review console: sign-in failed (reviewer {}, address {})", known(reviewer), address);
                        ConsoleErrors.INVALID_CREDENTIALS.send(ctx.response(), "Wrong reviewer name or password");
                    }
                });
    }

    /** What a sign-in body names: {@code ""} for a member that is absent or no value. */
    record Credentials(String reviewer, char[] password) {
    }

    /** Reads a sign-in body; {@link InvalidSamplingJsonException} when it is no JSON. */
    static Credentials credentials(String body) {
        JsonNode json = McpJson.parse(body == null ? "" : body);
        return new Credentials(json.path("reviewer").asText(""), json.path("password").asText("").toCharArray());
    }

    private void signIn(RoutingContext ctx, String reviewer, String address) {
        throttle.succeeded(reviewer);
        Sessions.Session session = startSession(ctx, reviewer, tenants.get(reviewer));
        LOG.info("Review console: {} signed in from {}", reviewer, address);
        ReviewConsoleServer.json(ctx, 200, identity(session));
    }

    /** A new session for a reviewer who proved who they are (password, or the identity provider), in its cookie. */
    Sessions.Session startSession(RoutingContext ctx, String reviewer, TenantScope reviewerTenants) {
        String old = cookieValue(ctx.request());
        sessions.remove(old); // a new sign-in never keeps a session id someone else may have planted
        Sessions.Session session = sessions.create(reviewer, reviewerTenants);
        Cookie cookie = Cookie.cookie(COOKIE, session.id()).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(ctx.request().isSSL())
                .setMaxAge(sessions.ttl().toSeconds());
        ctx.response().addCookie(cookie);
        return session;
    }

    void me(RoutingContext ctx) {
        ReviewConsoleServer.json(ctx, 200, identity(ctx.get(SESSION_KEY)));
    }

    void logout(RoutingContext ctx) {
        Sessions.Session session = ctx.get(SESSION_KEY);
        sessions.remove(session.id());
        ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(ctx.request().isSSL()).setMaxAge(0));
        LOG.info("Review console: {} signed out", session.reviewer());
        ctx.response().setStatusCode(204).end();
    }

    /** Every API request but sign-in needs a live session. */
    void requireSession(RoutingContext ctx) {
        Sessions.Session session = sessions.find(cookieValue(ctx.request()));
        if (session == null) {
            ConsoleErrors.UNAUTHENTICATED.send(ctx.response(), "Sign in first");
            return;
        }
        ctx.put(SESSION_KEY, session);
        ctx.next();
    }

    /** A browser says where a request comes from; only this console's own page may post. */
    void requireOwnOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin != null) {
            String host = ctx.request().getHeader("Host");
            String own = (ctx.request().isSSL() ? "https://" : "http://") + host;
            if (host == null || !own.equalsIgnoreCase(origin)) {
                LOG.warn("Review console: POST {} refused from origin {}", ctx.request().path(), origin);
                ConsoleErrors.ORIGIN_NOT_ALLOWED.send(ctx.response(), "Requests from " + origin + " are not allowed");
                return;
            }
        }
        ctx.next();
    }

    void requireCsrfToken(RoutingContext ctx) {
        Sessions.Session session = ctx.get(SESSION_KEY);
        if (!session.csrfMatches(ctx.request().getHeader(CSRF_HEADER))) {
            ConsoleErrors.CSRF_TOKEN_INVALID.send(ctx.response(), "Missing or wrong " + CSRF_HEADER + " header");
            return;
        }
        ctx.next();
    }

    private String known(String reviewer) {
        // a name that is not a reviewer may be a password typed in the wrong field: never log it
        return passwords.containsKey(reviewer) ? reviewer : "(unknown name)";
    }

    private static String cookieValue(HttpServerRequest request) {
        Cookie cookie = request.getCookie(COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private static ObjectNode identity(Sessions.Session session) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("reviewer", session.reviewer());
        json.put("tenants", session.tenants().toString());
        json.put("csrfToken", session.csrfToken());
        return json;
    }
}
