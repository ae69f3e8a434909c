package io.samplingbroker.benchmark;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * The requests of one step that are sent and not yet answered, keyed by id, holding their intended send time.
 * Bounded: beyond {@code capacity} a send is refused and counted as an error. Latency is measured from the
 * intended send time (open loop, no coordinated omission). Thread-safe.
 */
public final class InFlight {

    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final int capacity;
    private final long timeoutNanos;
    private final Map<Long, Long> intendedById = new ConcurrentHashMap<>();
    private final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong errorReplies = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong slowestError = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicLong firstIntended = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);

    public InFlight(int capacity, long timeoutNanos) {
        this.capacity = capacity;
        this.timeoutNanos = timeoutNanos;
    }

    /** Registers request {@code id} about to be sent; false (and counted) when the bound is reached. */
    public boolean begin(long id, long intendedNanos) {
        if (intendedById.size() >= capacity) {
            refused.incrementAndGet();
            return false;
        }
        intendedById.put(id, intendedNanos);
        sent.incrementAndGet();
        firstIntended.accumulateAndGet(intendedNanos, Math::min);
        return true;
    }

    /** A send that failed outright: forget it, count it. */
    public void failed(long id) {
        if (intendedById.remove(id) != null) {
            errorReplies.incrementAndGet();
        }
    }

    /** The answer to {@code id} arrived at {@code nowNanos}; {@code error} if it was a JSON-RPC error. */
    public void complete(long id, boolean error, long nowNanos) {
        complete(id, error ? Answer.ERROR : Answer.RESULT, nowNanos);
    }

    /** What an answer was: a result, a JSON-RPC error, or the broker's refusal because it sheds load. */
    public enum Answer {
        RESULT, ERROR, SHED
    }

    public void complete(long id, Answer answer, long nowNanos) {
        Long intended = intendedById.remove(id);
        if (intended == null) {
            unexpected.incrementAndGet(); // late (already timed out) or unknown
            return;
        }
        long latency = Math.min(Math.max(0, nowNanos - intended), HIGHEST_NANOS);
        if (answer != Answer.RESULT) {
            errorReplies.incrementAndGet();
            if (answer == Answer.SHED) {
                shed.incrementAndGet();
            }
            slowestError.accumulateAndGet(latency, Math::max);
            return;
        }
        lastAnswer.accumulateAndGet(nowNanos, Math::max);
        synchronized (histogram) {
            histogram.recordValue(latency);
        }
    }

    /** Counts as missing every request older than the timeout. */
    public void expire(long nowNanos) {
        for (Iterator<Map.Entry<Long, Long>> it = intendedById.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, Long> entry = it.next();
            if (nowNanos - entry.getValue() > timeoutNanos && intendedById.remove(entry.getKey(), entry.getValue())) {
                missing.incrementAndGet();
            }
        }
    }

    /** Waits until every request is answered or timed out. */
    public void drain() throws InterruptedException {
        while (!intendedById.isEmpty()) {
            expire(System.nanoTime());
            Thread.sleep(20);
        }
    }

    public int outstanding() {
        return intendedById.size();
    }

    /** The figures; throughput is over {@code seconds} or until the last answer, whichever is longer. */
    public LatencyStats stats(String label, int rate, double seconds) {
        long first = firstIntended.get();
        long last = lastAnswer.get();
        double elapsed = first == Long.MAX_VALUE || last == Long.MIN_VALUE ? seconds
                : Math.max(seconds, (last - first) / 1e9);
        synchronized (histogram) {
            return LatencyStats.of(label, rate, elapsed, histogram, sent.get(), errorReplies.get(), shed.get(),
                    slowestError.get(), missing.get(), refused.get());
        }
    }

    long unexpected() {
        return unexpected.get();
    }
}
