package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FloorRatiosTest {

    private static LatencyStats step(int rate, double p50, double p99) {
        return new LatencyStats("s", rate, 1, rate, rate, p50, p50, p99, p99, p99, 0, 0, 0, 0, 0);
    }

    @Test
    void givenBothFloors_whenTabled_thenEachRateHasTheKafkaRatiosAndTheNoBrokerDifferenceAndRatios() {
        String table = FloorRatios.table(List.of(step(1000, 6.0, 20.0)), List.of(step(1000, 3.0, 5.0)),
                List.of(step(1000, 9.0, 40.0)), List.of(step(1000, 0.5, 2.0)));

        assertThat(table).contains("broker p50 − direct p50 (ms)")
                .contains("| 1000 | 2.00× | 4.00× | 3.00× | 8.00× | 5.50 | 12.00× | 10.00× |");
    }

    @Test
    void givenOnlyTheNoBrokerFloor_whenTabled_thenTheKafkaCellsAreEmpty() {
        String table = FloorRatios.table(List.of(step(250, 4.0, 8.0)), List.of(), List.of(), List.of(step(250, 1.0, 2.0)));

        assertThat(table).contains("| 250 |  |  |  |  | 3.00 | 4.00× | 4.00× |");
    }

    @Test
    void givenANoBrokerStepWithoutAnswers_whenTabled_thenItsRatiosAreNotApplicable() {
        String table = FloorRatios.table(List.of(step(250, 4.0, 8.0)), List.of(), List.of(), List.of(step(250, 0, 0)));

        assertThat(table).contains("| 4.00 | n/a | n/a |");
    }
}
