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
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.audit.output.SummaryReport;
import io.samplingbroker.events.ProviderAttempt;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.serviceruntime.spend.PriceFile;

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
        SummaryReport report = new SummaryReport(PriceCatalogue.none());
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

    @Test
    void givenPricesAndCompletionsOfTwoTenants_whenSummarised_thenSpendIsPricedByTheModelThatAnsweredAndUnpricedIsNamed() {
        PriceCatalogue prices = PriceFile.parse("prices.yaml", """
                currency: USD
                models:
                  gpt-4o: {input: 2.50, output: 10.00, cachedInput: 1.25}
                  offline-echo: {input: 0, output: 0}
                """);
        SamplingContext acme = SamplingContext.newBuilder(context("r-acme", "acme-host", "everything", T0,
                T0.plusSeconds(30))).setTenant("acme").build();
        SamplingContext globex = SamplingContext.newBuilder(context("r-globex", "globex-host", "everything",
                T0.plusSeconds(1), T0.plusSeconds(31))).setTenant("globex").build();
        SamplingContext unpriced = SamplingContext.newBuilder(context("r-claude", "globex-host", "everything",
                T0.plusSeconds(2), T0.plusSeconds(32))).setTenant("globex").build();
        Events events = Events.replay()
                .add(REQUESTS, 0, requested(acme, "x"))
                // 1,000 in of which 800 cached, 100 out: 200 × 2.50 + 800 × 1.25 + 100 × 10 = 2,500 micro-dollars
                .add(COMPLETIONS, 10, SamplingCompleted.newBuilder(completed(acme, 10, "gpt-4o-2024-08-06", 1_000, 100))
                        .setUsage(new TokenUsage(1_000L, 100L, 800L))
                        .setProviderAttempts(List.of(answered("openai", "gpt-4o"))).build())
                .add(REQUESTS, 1_000, requested(globex, "x"))
                .add(COMPLETIONS, 1_010, completed(globex, 1_010, "offline-echo", 5, 7))
                .add(REQUESTS, 2_000, requested(unpriced, "x"))
                .add(COMPLETIONS, 2_010, completed(unpriced, 2_010, "claude-sonnet-4-5", 10, 20))
                .finish();
        SummaryReport report = new SummaryReport(prices);

        events.timelines.forEach(report);

        assertThat(report.costMicros()).isEqualTo(2_500);
        JsonNode spend = report.toJson().path("spend");
        assertThat(spend.path("currency").asText()).isEqualTo("USD");
        assertThat(spend.path("byTenant").path("acme").path("cost").asText()).isEqualTo("0.0025");
        assertThat(spend.path("byTenant").path("globex").path("inputTokens").asLong()).isEqualTo(15);
        assertThat(spend.path("unpricedModels").path("claude-sonnet-4-5").asLong()).isEqualTo(1);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        report.printTable(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("spend      tokens in 1,015  out 127  cost 0.0025 USD")
                .contains("not priced: claude-sonnet-4-5 (1 completion(s), not in the cost)");
    }

    private static ProviderAttempt answered(String provider, String model) {
        return ProviderAttempt.newBuilder().setProvider(provider).setModel(model).setStartedAt(T0).setLatencyMillis(5)
                .build();
    }
}
