package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String METRICS = """
            # HELP sampling_pending_requests Sampling requests waiting for their outcome on this broker instance
            # TYPE sampling_pending_requests gauge
            sampling_pending_requests{application="broker",instance="b-1"} 12.0
            sampling_pending_requests_max 99.0
            sampling_pending_requests_total{x="}"} 7
            sampling_pipeline_behind_milliseconds -1.0
            """;

    @Test
    void givenAGaugeWithLabels_whenSummed_thenItsValueAlone() {
        assertThat(PrometheusText.sum(METRICS, "sampling_pending_requests")).hasValue(12.0);
    }

    @Test
    void givenSeveralSamplesAndATimestamp_whenSummed_thenTheValuesAreAdded() {
        String text = "g{a=\"1\"} 2\ng{a=\"2\"} 3.5 1700000000000\ng 1\n";

        assertThat(PrometheusText.sum(text, "g")).hasValue(6.5);
    }

    @Test
    void givenNoSuchMetric_whenSummed_thenEmpty() {
        assertThat(PrometheusText.sum(METRICS, "sampling_sessions_open")).isEmpty();
    }
}
