package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateSearchTest {

    /** A system that holds the limit up to {@code capacity} req/s. */
    private static RateSearch.Step system(int capacity) {
        return rate -> new LatencyStats("s", rate, 1, rate, rate, 1, 1, rate <= capacity ? 10 : 100, 1, 1, 0, 0, 0, 0, 0);
    }

    @Test
    void givenACapacity_whenSearched_thenItDoublesThenBisectsToNearIt() throws Exception {
        RateSearch.Result result = RateSearch.search(250, 16_000, 6, 50, system(3_100));

        assertThat(result.best()).isBetween(2_900, 3_100);
        assertThat(result.steps()).extracting(LatencyStats::rate).startsWith(250, 500, 1000, 2000, 4000, 3000);
    }

    @Test
    void givenNoRateHolds_whenSearched_thenBestIsZero() throws Exception {
        assertThat(RateSearch.search(250, 16_000, 3, 50, system(0)).best()).isZero();
    }

    @Test
    void givenEverythingHolds_whenSearched_thenItStopsAtTheMaximum() throws Exception {
        RateSearch.Result result = RateSearch.search(250, 1000, 3, 50, system(1_000_000));

        assertThat(result.best()).isEqualTo(1000);
    }

    @Test
    void givenErrors_whenSearched_thenTheRateDoesNotHold() {
        LatencyStats withErrors = new LatencyStats("s", 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0);

        assertThat(withErrors.holds(50)).isFalse();
    }
}
