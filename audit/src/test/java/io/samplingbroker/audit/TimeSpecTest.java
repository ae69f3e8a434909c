package io.samplingbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimeSpecTest {

    private static final Instant NOW = Instant.parse("2026-11-24T06:00:00Z");

    @Test
    void givenIsoForms_whenParsed_thenEachIsTheInstantItNames() {
        // Given / When / Then
        assertThat(TimeSpec.parseTime("2026-11-17T10:15:30Z", NOW)).isEqualTo(Instant.parse("2026-11-17T10:15:30Z"));
        assertThat(TimeSpec.parseTime("2026-11-17T10:15+01:00", NOW)).isEqualTo(Instant.parse("2026-11-17T09:15:00Z"));
        assertThat(TimeSpec.parseTime("2026-11-17T10:15", NOW)).isEqualTo(Instant.parse("2026-11-17T10:15:00Z"));
        assertThat(TimeSpec.parseTime("2026-11-17", NOW)).isEqualTo(Instant.parse("2026-11-17T00:00:00Z"));
    }

    @Test
    void givenRelativeForms_whenParsed_thenTheyCountBackFromNow() {
        assertThat(TimeSpec.parseTime("7d", NOW)).isEqualTo(Instant.parse("2026-11-17T06:00:00Z"));
        assertThat(TimeSpec.parseTime("12h", NOW)).isEqualTo(Instant.parse("2026-11-23T18:00:00Z"));
        assertThat(TimeSpec.parseTime("30m", NOW)).isEqualTo(Instant.parse("2026-11-24T05:30:00Z"));
        assertThat(TimeSpec.parseTime("2w", NOW)).isEqualTo(Instant.parse("2026-11-10T06:00:00Z"));
        assertThat(TimeSpec.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(TimeSpec.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void givenNonsense_whenParsed_thenTheErrorSaysWhichFormsWork() {
        assertThatThrownBy(() -> TimeSpec.parseTime("last tuesday", NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'last tuesday' is not a time").hasMessageContaining("7d");
        assertThatThrownBy(() -> TimeSpec.parseDuration("5 parsecs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }
}
