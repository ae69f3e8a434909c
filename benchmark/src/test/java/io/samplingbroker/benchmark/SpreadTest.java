package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void givenMoreSessionsThanBrokers_whenDealt_thenNoTwoBrokersDifferByMoreThanOne() {
        var counts = IntStream.range(0, 201).boxed()
                .collect(Collectors.groupingBy(s -> Spread.brokerOf(s, 2), Collectors.counting()));

        assertThat(counts).containsEntry(0, 101L).containsEntry(1, 100L);
    }

    @Test
    void givenOneBroker_whenDealt_thenEverySessionGoesToIt() {
        assertThat(IntStream.range(0, 10).map(s -> Spread.brokerOf(s, 1)).distinct().toArray()).containsExactly(0);
    }

    @Test
    void givenNoBroker_whenDealt_thenRefused() {
        assertThatThrownBy(() -> Spread.brokerOf(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
