package io.samplingbroker.broker.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class WaitPreferenceTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void givenNoPreference_whenAPostComes_thenItWaitsUpToTheLimit() {
        assertThat(WaitPreference.ofPrefer(null, LIMIT)).isEqualTo(new WaitPreference(LIMIT, false));
    }

    @Test
    void givenRespondAsync_whenAPostComes_thenItAnswersAtOnceWhateverTheWait() {
        assertThat(WaitPreference.ofPrefer("wait=10, respond-async", LIMIT))
                .isEqualTo(new WaitPreference(Duration.ZERO, true));
    }

    @Test
    void givenAWait_whenItIsShorterOrLongerThanTheLimit_thenTheShorterOneHolds() {
        assertThat(WaitPreference.ofPrefer("wait=5", LIMIT).patience()).isEqualTo(Duration.ofSeconds(5));
        assertThat(WaitPreference.ofPrefer("wait=500", LIMIT).patience()).isEqualTo(LIMIT);
        assertThat(WaitPreference.ofPrefer("wait=soon", LIMIT).patience()).as("unreadable: ignored, RFC 7240")
                .isEqualTo(LIMIT);
    }

    @Test
    void givenAGetsWait_whenInSecondsOrMilliseconds_thenEachIsRead() {
        assertThat(WaitPreference.ofQuery(null, LIMIT).patience()).isZero();
        assertThat(WaitPreference.ofQuery("250ms", LIMIT).patience()).isEqualTo(Duration.ofMillis(250));
        assertThat(WaitPreference.ofQuery("12s", LIMIT).patience()).isEqualTo(Duration.ofSeconds(12));
        assertThat(WaitPreference.ofQuery("12", LIMIT).patience()).isEqualTo(Duration.ofSeconds(12));
        assertThat(WaitPreference.ofQuery("9000", LIMIT).patience()).isEqualTo(LIMIT);
    }
}
