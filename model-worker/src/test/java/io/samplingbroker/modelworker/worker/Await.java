package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for what other threads do: it fails after the timeout, never hangs. */
final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + TIMEOUT.toSeconds() + " s: " + what);
            }
            pause(5);
        }
    }

    /** Lets other threads run for a while, to see that something does not happen. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
