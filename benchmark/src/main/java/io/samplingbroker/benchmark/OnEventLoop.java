package io.samplingbroker.benchmark;

import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Starts an HTTP exchange on a Vert.x event loop. Built on another thread (the benchmark's main or sender thread), a
 * chain of futures can get a stage attached after the response it waits for has arrived, and that response's body
 * then reads as empty: one of 200 host sessions' {@code initialize} did. On the event loop every stage is attached
 * before any I/O is handled. The broker's {@code OnVertxContext} does the same for the same reason.
 */
final class OnEventLoop {

    private OnEventLoop() {
    }

    static <T> Future<T> run(Vertx vertx, Supplier<Future<T>> exchange) {
        if (Vertx.currentContext() != null) {
            return exchange.get();
        }
        Promise<T> done = Promise.promise();
        vertx.runOnContext(ignored -> exchange.get().onComplete(done));
        return done.future();
    }
}
