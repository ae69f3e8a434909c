package io.samplingbroker.broker.upstream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs an HTTP exchange on a Vert.x context: at once when called on one, else on a new one. A request made from
 * another thread (the answer router continuing a call) has its futures completed on the event loop while the caller
 * is still attaching callbacks; a callback attached after the response arrived runs on the caller's thread, after
 * the body has gone by, and the exchange reads nothing ("answered HTTP 200", found by the fault suite).
 */
final class OnVertxContext {

    private OnVertxContext() {
    }

    static void run(Vertx vertx, Runnable exchange) {
        if (Vertx.currentContext() != null) {
            exchange.run();
            return;
        }
        Context context = vertx.getOrCreateContext();
        context.runOnContext(start -> exchange.run());
    }
}
