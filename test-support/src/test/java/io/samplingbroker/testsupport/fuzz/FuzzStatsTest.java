package io.samplingbroker.testsupport.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FuzzStatsTest {

    @Test
    void givenAFinishedRun_whenParsed_thenTheLastStatusAndTheDoneLineCount() {
        FuzzStats stats = FuzzStats.parse(List.of(
                "INFO: seed corpus: files: 7 min: 136b max: 1777b total: 4801b rss: 905Mb",
                "#8\tINITED cov: 745 ft: 1162 corp: 7/4801b exec/s: 0 rss: 905Mb",
                "#262144\tpulse  cov: 801 ft: 1400 corp: 40/20Kb lim: 4096 exec/s: 8738 rss: 990Mb",
                "#300000\tDONE   cov: 803 ft: 1411 corp: 41/21Kb lim: 4096 exec/s: 10000 rss: 990Mb",
                "Done 300000 runs in 30 second(s)"));

        assertThat(stats).isEqualTo(new FuzzStats(300_000, 30, 803, 1411, 7, 41));
        assertThat(stats.perSecond()).isEqualTo(10_000);
    }

    @Test
    void givenARunThatEndedOnAFinding_whenParsed_thenItsLastStatusCountsAndItsRateIsUnknown() {
        FuzzStats stats = FuzzStats.parse(List.of(
                "#8\tINITED cov: 745 ft: 1162 corp: 7/4801b exec/s: 0 rss: 905Mb",
                "#726\tNEW    cov: 787 ft: 1284 corp: 22/14149b lim: 1777 exec/s: 0 rss: 905Mb L: 378/1777 MS: 2",
                "== Java Exception: java.lang.AssertionError"));

        assertThat(stats).isEqualTo(new FuzzStats(726, -1, 787, 1284, 0, 22));
        assertThat(stats.perSecond()).isEqualTo(-1);
    }

    @Test
    void givenDurations_whenRead_thenSecondsMinutesAndHoursCount() {
        assertThat(FuzzTargetRun.seconds("90s")).isEqualTo(90);
        assertThat(FuzzTargetRun.seconds("5 s")).isEqualTo(5);
        assertThat(FuzzTargetRun.seconds("2m")).isEqualTo(120);
        assertThat(FuzzTargetRun.seconds("1h")).isEqualTo(3600);
        assertThat(FuzzTargetRun.seconds("7")).isEqualTo(7);
    }
}
