package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class HeldRateTest {

    /** A step at {@code rate} whose p99 is {@code p99} ms, every request answered, no errors. */
    private static LatencyStats step(int rate, double p99) {
        return new LatencyStats("s", rate, 1, rate, rate, 1, 1, p99, p99, p99, 0, 0, 0, 0, 0);
    }

    @Test
    void givenStepsThatHoldUpToARate_whenBracketed_thenHeldAndFailedAtSurroundTheCapacity() {
        HeldRate bracket = HeldRate.of(List.of(step(250, 5), step(500, 5), step(1000, 2000), step(2000, 3000)), 1000);

        assertThat(bracket).isEqualTo(new HeldRate(500, 1000));
    }

    @Test
    void givenEveryStepHolds_whenBracketed_thenThereIsNoUpperBound() {
        assertThat(HeldRate.of(List.of(step(250, 5), step(1000, 5)), 1000)).isEqualTo(new HeldRate(1000, 0));
    }

    @Test
    void givenTheOtherPathFailedAtTwiceWhatThisHeld_whenCompared_thenItIsMet() {
        assertThat(new HeldRate(1000, 2000).atLeastHalfOf(new HeldRate(1000, 2000))).isEqualTo(HeldRate.Verdict.MET);
    }

    @Test
    void givenThisPathFailedAtHalfWhatTheOtherHeld_whenCompared_thenItIsNotMet() {
        assertThat(new HeldRate(500, 1000).atLeastHalfOf(new HeldRate(2000, 0))).isEqualTo(HeldRate.Verdict.NOT_MET);
    }

    @Test
    void givenTheOtherPathHeldEveryRate_whenThisOneAlsoDid_thenItIsUndetermined() {
        assertThat(new HeldRate(1000, 0).atLeastHalfOf(new HeldRate(1000, 0)))
                .isEqualTo(HeldRate.Verdict.UNDETERMINED);
    }
}
