package io.samplingbroker.reviewconsole;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.serviceruntime.spend.PriceFile;

class OverviewStatsTest {

    /** 20 s into the current minute, so that "10 s ago" is in the same minute; items are held at the real now. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(20);
    private final OverviewStats stats = new OverviewStats(Clock.fixed(NOW, ZoneOffset.UTC), PriceCatalogue.none());

    private static SamplingDecided decided(String id, Instant at, Decision decision, DeciderKind kind) {
        Requests request = Requests.request(id).requestedAt(at);
        return SamplingDecided.newBuilder().setContext(request.context()).setOccurredAt(at).setDecision(decision)
                .setDecidedBy(new Decider(kind, "rule")).build();
    }

    private static SamplingCompleted completed(String id, String host, long in, long out) {
        return completed(Requests.request(id).host(host), in, out);
    }

    private static SamplingCompleted completed(Requests of, long in, long out) {
        Requests request = of.requestedAt(NOW.minusSeconds(5));
        return SamplingCompleted.newBuilder().setContext(request.context()).setOccurredAt(NOW)
                .setCreateMessageResult(CreateMessageResult.newBuilder().setRole(Role.assistant)
                        .setContent(new java.util.ArrayList<>()).setContentShape(ContentShape.ARRAY)
                        .setModel("offline-echo").build())
                .setProvider("offline").setUsage(new TokenUsage(in, out, null)).setLatencyMillis(3).build();
    }

    @Test
    void givenDecisionsOfTheLastHour_whenSnapshotted_thenEachRequestCountsOnceInItsMinute() {
        // Given
        stats.decided(decided("a", NOW.minusSeconds(10), Decision.APPROVED, DeciderKind.RULE));
        stats.decided(decided("a", NOW.minusSeconds(10), Decision.APPROVED, DeciderKind.RULE)); // redelivered
        stats.decided(decided("b", NOW.minusSeconds(15), Decision.HELD_FOR_REVIEW, DeciderKind.DEFAULT_ACTION));
        stats.decided(decided("b", NOW, Decision.DENIED, DeciderKind.REVIEWER)); // a reviewer: a review, not a request
        stats.decided(decided("c", NOW.minus(Duration.ofMinutes(30)), Decision.DENIED, DeciderKind.RULE));
        stats.decided(decided("old", NOW.minus(Duration.ofHours(2)), Decision.DENIED, DeciderKind.RULE));
        // When
        ObjectNode overview = stats.snapshot(TenantScope.ALL);
        // Then
        assertThat(overview.get("requestsPerMinute")).hasSize(60);
        assertThat(overview.get("requestsPerMinute").get(59).get("count").asLong()).isEqualTo(2);
        assertThat(overview.get("requestsPerMinute").get(29).get("count").asLong()).isEqualTo(1);
        assertThat(overview.get("decisionsByOutcome").get("APPROVED").asLong()).isEqualTo(1);
        assertThat(overview.get("decisionsByOutcome").get("HELD_FOR_REVIEW").asLong()).isEqualTo(1);
        assertThat(overview.get("decisionsByOutcome").get("DENIED").asLong()).isEqualTo(1);
        assertThat(overview.get("until").asLong()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void givenCompletionsAndReviews_whenSnapshotted_thenTokensAreRankedAndReviewsCounted() {
        // Given
        stats.completed(completed("a", "vscode-alice", 100, 20));
        stats.completed(completed("b", "cursor-bob", 500, 100));
        stats.completed(completed("b", "cursor-bob", 500, 100)); // redelivered
        stats.reviewed(ReviewItems.decided(ReviewItems.pending("r1"), "c1", "bob", ReviewAction.EDIT));
        stats.reviewed(ReviewItems.pending("r2"));
        // When
        ObjectNode overview = stats.snapshot(TenantScope.ALL);
        // Then
        assertThat(overview.get("tokensByHost").findValuesAsText("name")).containsExactly("cursor-bob", "vscode-alice");
        assertThat(overview.get("tokensByHost").get(0).get("tokens").asLong()).isEqualTo(600);
        assertThat(overview.get("tokensByServer").get(0).get("tokens").asLong()).isEqualTo(720);
        assertThat(overview.get("reviewsByOutcome").get("edited").asLong()).isEqualTo(1);
        assertThat(overview.get("reviewsByOutcome").get("approved").asLong()).isZero(); // r2 is still pending
    }

    @Test
    void givenTwoTenantsTraffic_whenAReviewerOfOneSnapshots_thenOnlyTheirTenantIsCounted() {
        // Given
        stats.decided(SamplingDecided.newBuilder(decided("a", NOW.minusSeconds(10), Decision.APPROVED,
                DeciderKind.RULE)).setContext(Requests.request("a").tenant("acme").requestedAt(NOW.minusSeconds(10))
                .context()).build());
        stats.decided(SamplingDecided.newBuilder(decided("b", NOW.minusSeconds(10), Decision.DENIED,
                DeciderKind.RULE)).setContext(Requests.request("b").tenant("globex").requestedAt(NOW.minusSeconds(10))
                .context()).build());
        stats.completed(completed(Requests.request("a").tenant("acme").host("acme-ci"), 10, 5));
        stats.completed(completed(Requests.request("b").tenant("globex").host("globex-ci"), 900, 100));
        // When
        ObjectNode acme = stats.snapshot(TenantScope.parse("acme"));
        ObjectNode all = stats.snapshot(TenantScope.ALL);
        // Then
        assertThat(acme.get("requestsPerMinute").get(59).get("count").asLong()).isEqualTo(1);
        assertThat(acme.get("decisionsByOutcome").get("DENIED").asLong()).isZero();
        assertThat(acme.get("tokensByHost").findValuesAsText("name")).containsExactly("acme-ci");
        assertThat(all.get("requestsPerMinute").get(59).get("count").asLong()).isEqualTo(2);
        assertThat(all.get("tokensByHost").findValuesAsText("name")).containsExactly("globex-ci", "acme-ci");
    }

    @Test
    void givenPrices_whenSnapshotted_thenEachHostAndServerCarriesItsCostAndTheHourItsTotal() {
        OverviewStats priced = new OverviewStats(Clock.fixed(NOW, ZoneOffset.UTC), PriceFile.parse("prices.yaml", """
                currency: EUR
                models:
                  offline-echo: {input: 2.00, output: 8.00}
                """));
        priced.completed(completed("a", "vscode-alice", 1_000, 500)); // 2,000 + 4,000 micro-euros
        priced.completed(completed("b", "cursor-bob", 100, 0));       // 200

        ObjectNode overview = priced.snapshot(TenantScope.ALL);

        assertThat(overview.get("tokensByHost").get(0).get("cost").asText()).isEqualTo("0.006");
        assertThat(overview.get("tokensByHost").get(1).get("cost").asText()).isEqualTo("0.0002");
        assertThat(overview.get("spend").get("tokens").asLong()).isEqualTo(1_600);
        assertThat(overview.get("spend").get("cost").asText()).isEqualTo("0.0062");
        assertThat(overview.get("spend").get("currency").asText()).isEqualTo("EUR");
        assertThat(stats.snapshot(TenantScope.ALL).get("spend").has("cost")).as("no prices, no cost").isFalse();
    }
}
