package io.samplingbroker.reviewconsole;

import java.time.Duration;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.schemas.json.McpJson;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One reviewer's {@code GET /api/events} stream: {@code item} events relayed from the event bus (where the queue's
 * changes are published once, already as JSON, with their tenant in a header: the stream passes on only its
 * reviewer's tenants), {@code overview} of those tenants every {@link #OVERVIEW_EVERY}, a comment line every
 * {@link #KEEP_ALIVE_EVERY}. Everything runs on the connection's event loop; it all stops when the client goes,
 * when the session ends, or when the client reads too slowly to keep up (it reconnects and reloads the list).
 */
final class EventStream {

    /** The header of an item's message that names its tenant (absent: the item has none). */
    static final String TENANT = "tenant";
    static final Duration OVERVIEW_EVERY = Duration.ofSeconds(10);
    static final Duration KEEP_ALIVE_EVERY = Duration.ofSeconds(15);

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final Sessions sessions;
    private final Sessions.Session session;
    private final Function<TenantScope, ObjectNode> overview;
    private MessageConsumer<String> items;
    private long overviewTimer = -1;
    private long keepAliveTimer = -1;
    private boolean closed;

    private EventStream(RoutingContext ctx, Sessions sessions, Function<TenantScope, ObjectNode> overview) {
        this.vertx = ctx.vertx();
        this.response = ctx.response();
        this.sessions = sessions;
        this.session = ctx.get(AuthRoutes.SESSION_KEY);
        this.overview = overview;
    }

    static void open(RoutingContext ctx, Sessions sessions, Function<TenantScope, ObjectNode> overview,
            String itemsAddress) {
        new EventStream(ctx, sessions, overview).start(itemsAddress);
    }

    private void start(String itemsAddress) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("X-Accel-Buffering", "no"); // proxies must pass events on at once
        response.closeHandler(v -> stop());
        response.exceptionHandler(e -> stop());
        TenantScope tenants = session.tenants();
        items = vertx.eventBus().localConsumer(itemsAddress, message -> {
            if (tenants.sees(message.headers().get(TENANT))) {
                send("event: item\ndata: " + message.body() + "\n\n");
            }
        });
        overviewTimer = vertx.setPeriodic(OVERVIEW_EVERY.toMillis(),
                id -> send("event: overview\ndata: " + McpJson.write(overview.apply(tenants)) + "\n\n"));
        keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE_EVERY.toMillis(), id -> {
            if (!sessions.alive(session)) {
                end();
            } else {
                send(": keep-alive\n\n");
            }
        });
        // sends the headers now, so the browser's EventSource opens without waiting for the first event
        send("retry: 3000\n: connected\n\n");
    }

    private void send(String text) {
        if (closed) {
            return;
        }
        if (response.writeQueueFull()) {
            end(); // a client that cannot keep up reconnects and reloads, rather than us buffering without end
            return;
        }
        response.write(text);
    }

    private void end() {
        stop();
        if (!response.ended()) {
            response.end();
        }
    }

    private void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (items != null) {
            items.unregister();
        }
        vertx.cancelTimer(overviewTimer);
        vertx.cancelTimer(keepAliveTimer);
    }
}
