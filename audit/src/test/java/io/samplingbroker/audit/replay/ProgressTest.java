package io.samplingbroker.audit.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void givenHalfTheRecordsReadInTenSeconds_whenFormatted_thenRateAndTimeLeftAreShown() {
        // When
        String line = Progress.line(500_000, 1_000_000, 10);
        // Then
        assertThat(line).isEqualTo("500,000 / 1,000,000 records (50%)  50,000 rec/s  ~10 s left");
    }

    @Test
    void givenStderrIsNotATerminal_whenRecordsAreRead_thenNothingIsPrinted() {
        // Given
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), false);
        // When
        progress.start(10_000);
        for (int i = 0; i < 10_000; i++) {
            progress.record();
        }
        progress.finish();
        // Then
        assertThat(err.size()).isZero();
    }
}
