package io.samplingbroker.benchmark;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Many requests held pending: the stack without the model-worker (approved requests are never answered), a long
 * deadline, {@code count} requests sent, then the heap after GC once the broker holds all of them. The heap is this
 * JVM's: the one-JVM mode only (the separate-process mode skips it, its broker's heap being another process's).
 */
public final class PendingScenario {

    /** @param heapBefore heap after GC with the session up, before any request; @param heapAfter with all pending */
    public record Result(int requested, int pending, long heapBefore, long heapAfter, long rssAfter,
            double secondsToPending) {
        public long delta() {
            return heapAfter - heapBefore;
        }

        public String describe() {
            return String.format("| %,d requested | %,d pending after %.1f s | heap before %s | heap after %s | "
                    + "delta %s (%,d bytes/request) | RSS %s |", requested, pending, secondsToPending,
                    MemoryProbe.mib(heapBefore), MemoryProbe.mib(heapAfter), MemoryProbe.mib(delta()),
                    pending == 0 ? 0 : delta() / pending, MemoryProbe.mib(rssAfter));
        }
    }

    private static final long ID_BASE = 1_000_000_000L;

    private PendingScenario() {
    }

    public static Result run(BenchServices stack, Prompts prompts, int count, int sendRate) throws Exception {
        stack.startServices("bench-pending-" + System.currentTimeMillis() + ".", false, Duration.ofMinutes(15),
                prompts);
        long before = MemoryProbe.heapUsedAfterGc();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) i * 1_000_000_000L / sendRate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            stack.upstream().sendSampling(ID_BASE + i, prompts);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int pending = stack.pendingCount();
        while (pending < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            pending = stack.pendingCount();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = MemoryProbe.heapUsedAfterGc();
        pending = stack.pendingCount();
        long rss = MemoryProbe.selfStatusBytes("VmRSS").orElse(0);
        return new Result(count, pending, before, after, rss, seconds);
    }
}
