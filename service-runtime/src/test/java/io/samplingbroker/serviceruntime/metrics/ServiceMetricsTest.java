package io.samplingbroker.serviceruntime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.topics.Service;

class ServiceMetricsTest {

    private final ServiceMetrics metrics = ServiceMetrics.create(Service.BROKER, 2);

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void givenMoreHostsThanTheCap_whenCounted_thenTheLaterOnesAreOtherAndTheTotalIsKept() {
        for (String host : new String[] {"a", "b", "c", "d", "a"}) {
            metrics.counter("sampling.requests", "answers", Tags.of(SamplingLabels.HOST, host, "outcome", "result"))
                    .increment();
        }

        String scrape = metrics.scrape(null);

        assertThat(scrape).contains("sampling_requests_total{host=\"a\",outcome=\"result\",service=\"broker\"} 2.0")
                .contains("sampling_requests_total{host=\"b\",outcome=\"result\",service=\"broker\"} 1.0")
                .contains("sampling_requests_total{host=\"other\",outcome=\"result\",service=\"broker\"} 2.0")
                .doesNotContain("host=\"c\"").doesNotContain("host=\"d\"");
    }

    @Test
    void givenALabelOfTheCodesOwn_whenItHasManyValues_thenNoneIsCapped() {
        for (String stage : new String[] {"decision", "completion", "delivery", "end_to_end"}) {
            metrics.counter("sampling.stages", "stages", Tags.of("stage", stage)).increment();
        }

        assertThat(metrics.scrape(null)).contains("stage=\"decision\"").contains("stage=\"end_to_end\"")
                .doesNotContain("stage=\"other\"");
    }

    @Test
    void givenAStageTimed_whenScraped_thenItIsASecondsHistogramWithTheSharedBuckets() {
        metrics.stage("end_to_end", Tags.empty()).record(Duration.ofMillis(30));

        assertThat(metrics.scrape(null))
                .contains("sampling_stage_duration_seconds_bucket{service=\"broker\",stage=\"end_to_end\",le=\"0.025\"} 0")
                .contains("sampling_stage_duration_seconds_bucket{service=\"broker\",stage=\"end_to_end\",le=\"0.05\"} 1")
                .contains("sampling_stage_duration_seconds_count{service=\"broker\",stage=\"end_to_end\"} 1");
    }

    @Test
    void givenAContextWithoutTenant_whenLabelled_thenTenantIsNone() {
        SamplingContext context = SamplingContext.newBuilder().setRequestId("r").setTraceId("0".repeat(32))
                .setHostId("claude-desktop").setServerName("everything").setSessionId("s").setJsonRpcId("1")
                .setRequestedAt(Instant.EPOCH).setDeadline(Instant.EPOCH)
                .setReplyRoute(new ReplyRoute("b1", "results", null)).build();

        assertThat(SamplingLabels.of(context)).containsExactlyInAnyOrder(
                Tag.of("host", "claude-desktop"),
                Tag.of("tenant", "none"),
                Tag.of("server", "everything"));
    }
}
