package io.samplingbroker.approvalworker.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.schemas.topics.ReviewMark;

/** The decisions human review starts from: held requests and response review, marked for the review topology. */
class HoldAndResponseReviewTest {

    private static final String POLICY = """
            defaultAction: approve
            rules:
              - {id: hold-github, when: {server: github}, action: hold, reason: GitHub needs a human}
              - {id: check-images, when: {hasImages: true}, action: approve, reviewResponse: true}
            """;

    @Test
    void givenAHoldRule_whenItMatches_thenTheDecisionIsHeldWithTheParamsTheReasonAndTheMark() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // When
            harness.send(Requests.request("req-1").server("github").text("hi").build());
            // Then
            List<TestRecord<String, SamplingDecided>> records = harness.decisionRecords();
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.value().getDecision()).isEqualTo(Decision.HELD_FOR_REVIEW);
                assertThat(record.value().getDecidedBy().getName()).isEqualTo("hold-github");
                assertThat(record.value().getReason()).isEqualTo("GitHub needs a human");
                assertThat(record.value().getEffectiveParams()).isNotNull();
                assertThat(new String(record.headers().lastHeader(ReviewMark.HEADER).value(), StandardCharsets.UTF_8))
                        .isEqualTo("request");
            });
            assertThat(harness.resultRecords()).isEmpty();
        }
    }

    @Test
    void givenResponseReview_whenTheRuleApproves_thenTheDecisionAsksForItIsMarkedAndRoutesTheAnswerToReview_andOthersAreNot() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // When
            harness.send(Requests.request("req-1").image().build());
            harness.send(Requests.request("req-2").text("plain").build());
            // Then
            List<TestRecord<String, SamplingDecided>> records = harness.decisionRecords();
            assertThat(records).hasSize(2);
            assertThat(records.get(0).value().getReviewResponse()).isTrue();
            assertThat(ReviewMark.isMarked(records.get(0).headers())).isTrue();
            assertThat(records.get(0).value().getContext().getReplyRoute().getReplyTopic())
                    .isEqualTo(ApprovalHarness.TOPICS.reviews().name());
            assertThat(records.get(1).value().getReviewResponse()).isFalse();
            assertThat(ReviewMark.isMarked(records.get(1).headers())).isFalse();
            assertThat(records.get(1).value().getContext().getReplyRoute()).as("copied from the request")
                    .isEqualTo(new ReplyRoute("broker-1", "sampling.results", 3));
        }
    }
}
