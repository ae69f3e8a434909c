package io.samplingbroker.audit;

import static io.samplingbroker.audit.Events.COMPLETIONS;
import static io.samplingbroker.audit.Events.LIFECYCLE;
import static io.samplingbroker.audit.Events.REQUESTS;
import static io.samplingbroker.audit.Events.T0;
import static io.samplingbroker.audit.Events.cancelled;
import static io.samplingbroker.audit.Events.completed;
import static io.samplingbroker.audit.Events.context;
import static io.samplingbroker.audit.Events.delivered;
import static io.samplingbroker.audit.Events.requested;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.samplingbroker.audit.output.SummaryReport;
import io.samplingbroker.events.SamplingContext;

class SummaryReportTest {

    @Test
    void givenHundredDeliveriesOfOneToHundredMillis_whenSummarised_thenPercentilesCountsAndTokensAreExact() {
        // Given 100 requests delivered after 1..100 ms, two hosts, plus one cancelled request
        Events events = Events.replay();
        for (int i = 1; i <= 100; i++) {
            SamplingContext c = context("r-" + i, i % 2 == 0 ? "host-even" : "host-odd", "everything",
                    T0.plusSeconds(i), T0.plusSeconds(i + 30));
            long at = i * 1000L;
            events.add(REQUESTS, at, requested(c, "x"))
                    .add(COMPLETIONS, at, completed(c, at, "offline-echo", 2, 3))
                    .add(LIFECYCLE, at + i, delivered(c, at + i, null));
        }
        SamplingContext gone = context("r-cancelled", "host-odd", "everything", T0.plusSeconds(200), T0.plusSeconds(230));
        events.add(REQUESTS, 200_000, requested(gone, "x")).add(LIFECYCLE, 200_500, cancelled(gone, 200_500)).finish();
        SummaryReport report = new SummaryReport();
        // When
        events.timelines.forEach(report);
        // Then
        assertThat(report.requests()).isEqualTo(101);
        assertThat(report.byOutcome()).containsEntry("approved", 100L).containsEntry("cancelled", 1L);
        assertThat(report.byHost()).containsEntry("host-even", 50L).containsEntry("host-odd", 51L);
        assertThat(report.byServer()).containsOnly(java.util.Map.entry("everything", 101L));
        assertThat(report.byModel()).containsEntry("offline-echo", 100L).containsEntry("(none)", 1L);
        assertThat(report.inputTokens()).isEqualTo(200);
        assertThat(report.outputTokens()).isEqualTo(300);
        assertThat(report.delivered()).isEqualTo(100);
        assertThat(report.latencyPercentile(50)).isEqualTo(50);
        assertThat(report.latencyPercentile(90)).isEqualTo(90);
        assertThat(report.latencyPercentile(99)).isEqualTo(99);
        assertThat(report.latencyMax()).isEqualTo(100);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        report.printTable(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("p50 0.050s  p90 0.090s  p99 0.099s  max 0.100s").contains("tokens     in 200  out 300");
        assertThat(report.toJson().path("latencyMs").path("p99").asLong()).isEqualTo(99);
    }
}
