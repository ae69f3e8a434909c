package io.samplingbroker.broker.sampling;

import java.time.Clock;
import java.time.Duration;

/**
 * Whether the pipeline behind this instance is saturated, judged from its own answers: the time each answered request
 * spent outside the model (Kafka, the approval-worker, the model-worker's queue, the way back), its latency less the
 * provider call time the completion reports.
 *
 * <p>The test is CoDel's: when even the quickest answer of an interval waited longer than the limit, a queue stands
 * in front of every request, and a new one would only wait behind it, past the point where the server gives up. New
 * requests are then refused at once (the server can retry, or try another instance) until an interval's quickest
 * answer is back under the limit, or an interval brings too few answers to judge (the queue has drained). The
 * quickest, not a percentile: a burst or a few large prompts raise the slow answers, not the quickest one, and a
 * request a reviewer held (its wait is in its latency too) cannot shed load on its own unless it is the quickest of
 * {@link #MIN_ANSWERS} answers in one interval.
 *
 * <p>Thread-safe: answers come from the answer router's thread, the question from the event loops; both are a few
 * arithmetic steps under one lock.
 */
final class PipelineLoad {

    static final Duration INTERVAL = Duration.ofMillis(500);
    /** Fewer answers in an interval judge nothing: at a few requests per second a queue is not what slows them. */
    static final int MIN_ANSWERS = 8;

    private final long limitMillis;
    private final Clock clock;
    private long intervalStart;
    private long quickest = Long.MAX_VALUE;
    private int answers;
    private long behindMillis = -1;

    /** @param limit the standing delay that sheds load; zero never sheds */
    PipelineLoad(Duration limit, Clock clock) {
        this.limitMillis = limit.toMillis();
        this.clock = clock;
        this.intervalStart = clock.millis();
    }

    /** An answered request spent {@code millis} in the pipeline, outside the model. */
    synchronized void answered(long millis) {
        roll(clock.millis());
        quickest = Math.min(quickest, Math.max(0, millis));
        answers++;
    }

    /**
     * How far behind the pipeline is, in milliseconds: the quickest answer of the last judged interval, when it was
     * over the limit; -1 when new requests are welcome.
     */
    synchronized long behindMillis() {
        roll(clock.millis());
        return behindMillis;
    }

    private void roll(long now) {
        long elapsed = now - intervalStart;
        if (elapsed < INTERVAL.toMillis()) {
            return;
        }
        boolean judged = limitMillis > 0 && elapsed < 2 * INTERVAL.toMillis() && answers >= MIN_ANSWERS;
        behindMillis = judged && quickest > limitMillis ? quickest : -1;
        intervalStart = now;
        quickest = Long.MAX_VALUE;
        answers = 0;
    }
}
