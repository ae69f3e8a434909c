package io.samplingbroker.broker.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.samplingbroker.schemas.testing.MutableClock;

class PipelineLoadTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T00:00:00Z"));
    private final PipelineLoad load = new PipelineLoad(Duration.ofSeconds(1), clock);

    @Test
    void givenAnIntervalWhoseQuickestAnswerWaitedOverTheLimit_whenItEnds_thenTheLoadIsBehindByThatAnswer() {
        answer(PipelineLoad.MIN_ANSWERS, 1_500);
        load.answered(1_200);
        assertThat(load.behindMillis()).as("nothing is judged before the interval ends").isEqualTo(-1);

        clock.advance(PipelineLoad.INTERVAL);

        assertThat(load.behindMillis()).isEqualTo(1_200);
    }

    @Test
    void givenOneQuickAnswerAmongSlowOnes_whenTheIntervalEnds_thenNoQueueStandsAndNothingIsShed() {
        answer(PipelineLoad.MIN_ANSWERS, 5_000);
        load.answered(40); // a burst slows many, but the quickest got through: no standing queue

        clock.advance(PipelineLoad.INTERVAL);

        assertThat(load.behindMillis()).isEqualTo(-1);
    }

    @Test
    void givenTooFewAnswersToJudge_whenTheIntervalEnds_thenNothingIsShedWhateverTheyWaited() {
        answer(PipelineLoad.MIN_ANSWERS - 1, 30_000); // e.g. requests a reviewer held and released together

        clock.advance(PipelineLoad.INTERVAL);

        assertThat(load.behindMillis()).isEqualTo(-1);
    }

    @Test
    void givenAnOverloadedInterval_whenTheNextBringsQuickAnswersOrNoneAtAll_thenRequestsAreWelcomeAgain() {
        answer(PipelineLoad.MIN_ANSWERS, 2_000);
        clock.advance(PipelineLoad.INTERVAL);
        assertThat(load.behindMillis()).isEqualTo(2_000);

        answer(PipelineLoad.MIN_ANSWERS, 900);
        clock.advance(PipelineLoad.INTERVAL);
        assertThat(load.behindMillis()).as("under the limit again").isEqualTo(-1);

        answer(PipelineLoad.MIN_ANSWERS, 3_000);
        clock.advance(PipelineLoad.INTERVAL.multipliedBy(2));
        assertThat(load.behindMillis()).as("an interval passed with no answer: the queue drained").isEqualTo(-1);
    }

    @Test
    void givenAZeroLimit_whenEveryAnswerWaitsLong_thenNothingIsEverShed() {
        PipelineLoad off = new PipelineLoad(Duration.ZERO, clock);
        for (int i = 0; i < 100; i++) {
            off.answered(60_000);
        }

        clock.advance(PipelineLoad.INTERVAL);

        assertThat(off.behindMillis()).isEqualTo(-1);
    }

    private void answer(int count, long millis) {
        for (int i = 0; i < count; i++) {
            load.answered(millis);
        }
    }
}
