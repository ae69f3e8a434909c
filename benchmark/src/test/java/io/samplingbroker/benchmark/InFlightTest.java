package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class InFlightTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void givenAnswers_whenStatsAreTaken_thenResultsAreTimedFromTheIntendedTimeAndErrorsAndSheddingCountedApart() {
        InFlight inFlight = new InFlight(10, 1_000 * MS);
        inFlight.begin(1, 0);
        inFlight.begin(2, 0);

        inFlight.begin(3, 0);

        inFlight.complete(1, false, 5 * MS);
        inFlight.complete(2, true, 7 * MS);
        inFlight.complete(3, InFlight.Answer.SHED, 2 * MS);
        LatencyStats stats = inFlight.stats("t", 1, 1);

        assertThat(stats.answered()).as("results only").isEqualTo(1);
        assertThat(stats.max()).as("the error answers are not timed with the results").isBetween(4.99, 5.01);
        assertThat(stats.errorReplies()).isEqualTo(2);
        assertThat(stats.shed()).isEqualTo(1);
        assertThat(stats.errorMax()).isBetween(6.99, 7.01);
        assertThat(inFlight.outstanding()).isZero();
    }

    @Test
    void givenTheBoundReached_whenBegun_thenTheSendIsRefusedAndCounted() {
        InFlight inFlight = new InFlight(1, 1_000 * MS);

        assertThat(inFlight.begin(1, 0)).isTrue();
        assertThat(inFlight.begin(2, 0)).isFalse();
        assertThat(inFlight.stats("t", 1, 1).refused()).isEqualTo(1);
    }

    @Test
    void givenNoAnswer_whenTheTimeoutPasses_thenItIsMissingAndALateAnswerIsIgnored() {
        InFlight inFlight = new InFlight(10, 100 * MS);
        inFlight.begin(1, 0);

        inFlight.expire(50 * MS);
        assertThat(inFlight.outstanding()).isEqualTo(1);
        inFlight.expire(150 * MS);
        inFlight.complete(1, false, 200 * MS);

        LatencyStats stats = inFlight.stats("t", 1, 1);
        assertThat(stats.missing()).isEqualTo(1);
        assertThat(stats.answered()).isZero();
        assertThat(stats.errors()).isEqualTo(1);
        assertThat(inFlight.unexpected()).isEqualTo(1);
    }
}
