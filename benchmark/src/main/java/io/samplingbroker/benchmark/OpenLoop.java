package io.samplingbroker.benchmark;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed arrival rate, open loop: request {@code i} is due at {@code start + i / rate}, and is sent then whatever
 * happened to earlier ones; a late sender catches up without moving the intended times, so latency (measured
 * from the intended time) includes any queueing the system under test caused.
 */
public final class OpenLoop {

    /** Sends one request; must not block for long. */
    @FunctionalInterface
    public interface Sender {
        void send(long id, long intendedNanos) throws Exception;
    }

    private static final AtomicLong NEXT_ID = new AtomicLong(1);
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private OpenLoop() {
    }

    /** A tracker bounded to what {@code rate} can have outstanding within the timeout (at least 1,000). */
    public static InFlight inFlightFor(int rate, long timeoutMillis) {
        int capacity = (int) Math.min(Integer.MAX_VALUE, Math.max(1_000L, rate * (timeoutMillis / 1000 + 1)));
        return new InFlight(capacity, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    /** Runs one step on {@code inFlight} (which the receiving side completes) and waits for its answers or timeouts. */
    public static LatencyStats run(String label, int rate, int seconds, InFlight inFlight, Sender sender)
            throws InterruptedException {
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        long nextSweep = start + SWEEP_NANOS;
        for (long i = 0; i < total; i++) {
            long intended = start + i * 1_000_000_000L / rate;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long id = NEXT_ID.getAndIncrement();
            if (inFlight.begin(id, intended)) {
                try {
                    sender.send(id, intended);
                } catch (Exception e) {
                    inFlight.failed(id);
                }
            }
            long now = System.nanoTime();
            if (now >= nextSweep) {
                inFlight.expire(now);
                nextSweep = now + SWEEP_NANOS;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        inFlight.drain();
        return inFlight.stats(label, rate, seconds);
    }
}
