package io.samplingbroker.approvalworker.topology;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.schemas.topics.ReviewMark;

/**
 * The {@code forward} action: a host that samples itself answers, when it declared what the request needs; else the
 * broker's model does, and the decision says why.
 */
class ForwardToHostTest {

    private static final String POLICY = """
            defaultAction: approve
            rules:
              - {id: deny-big, when: {maxTokensAbove: 8000}, action: deny}
              - {id: review-images, when: {hasImages: true}, action: forward, reviewResponse: true}
              - {id: own-model, when: {server: notes}, action: forward, reason: the user's own model}
              - {id: per-host, when: {server: quota}, rateLimit: {requestsPerMinute: 1, per: host}, action: deny}
              - {id: quota-forward, when: {server: quota}, action: forward}
            """;

    @Test
    void givenAHostThatSamples_whenAForwardRuleMatches_thenTheDecisionIsForwardedAndTheBrokerIsToldOnResults() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // Given
            SamplingRequested request = request("req-1").server("notes").maxTokens(300).hostSamples(false, false).build();
            // When
            SamplingDecided decided = harness.decide(request);
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.FORWARDED);
            assertThat(decided.getDecidedBy().getName()).isEqualTo("own-model");
            assertThat(decided.getReason()).isEqualTo("the user's own model");
            assertThat(decided.getEffectiveParams()).isEqualTo(request.getParams());
            List<TestRecord<String, SamplingResolved>> results = harness.resultRecords();
            assertThat(results).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("req-1");
                assertThat(record.value().getForwardToHost()).isEqualTo(request.getParams());
                assertThat(record.value().getCreateMessageResult()).isNull();
                assertThat(record.value().getError()).isNull();
                assertThat(record.value().getContext()).isEqualTo(request.getContext());
            });
        }
    }

    @Test
    void givenAHostThatDidNotDeclareSampling_whenAForwardRuleMatches_thenTheBrokersModelAnswersAndTheReasonSaysWhy() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // When
            SamplingDecided decided = harness.decide(request("req-1").server("notes").build());
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(decided.getReason())
                    .isEqualTo("Approved for the broker's model: the host did not declare sampling (rule own-model)");
            assertThat(harness.resultRecords()).isEmpty();
        }
    }

    @Test
    void givenAHostWithoutSamplingToolsOrContext_whenTheRequestNeedsThem_thenTheBrokersModelAnswers() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // When
            SamplingDecided tools = harness.decide(request("req-t").server("notes").withTools()
                    .hostSamples(false, true).build());
            SamplingDecided context = harness.decide(request("req-c").server("notes")
                    .includeContext(IncludeContext.thisServer).hostSamples(true, false).build());
            SamplingDecided both = harness.decide(request("req-b").server("notes").withTools()
                    .includeContext(IncludeContext.allServers).hostSamples(true, true).build());
            // Then
            assertThat(tools.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(tools.getReason()).contains("did not declare sampling.tools and the request has tools");
            assertThat(context.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(context.getReason()).contains("did not declare sampling.context");
            assertThat(both.getDecision()).isEqualTo(Decision.FORWARDED);
        }
    }

    @Test
    void givenForwardWithResponseReview_whenItMatches_thenTheHostsAnswerIsRoutedToReviewAndMarked() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // When
            harness.send(request("req-1").image().hostSamples(false, false).build());
            // Then
            assertThat(harness.decisionRecords()).singleElement().satisfies(record -> {
                assertThat(record.value().getDecision()).isEqualTo(Decision.FORWARDED);
                assertThat(ReviewMark.isMarked(record.headers())).isTrue();
                assertThat(record.value().getContext().getReplyRoute().getReplyTopic())
                        .isEqualTo(ApprovalHarness.TOPICS.reviews().name());
            });
            assertThat(harness.resultRecords()).singleElement().satisfies(record -> assertThat(
                    record.value().getContext().getReplyRoute().getReplyTopic()).as("the broker copies this route")
                    .isEqualTo(ApprovalHarness.TOPICS.reviews().name()));
        }
    }

    @Test
    void givenLimitsAndDenials_whenRequestsAreForwarded_thenEarlierRulesStillDecideAndForwardsCountAgainstLimits() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // When
            SamplingDecided big = harness.decide(request("req-big").server("notes").maxTokens(9000)
                    .hostSamples(false, false).build());
            SamplingDecided first = harness.decide(request("req-q1").server("quota").hostSamples(false, false).build());
            SamplingDecided second = harness.decide(request("req-q2").server("quota").hostSamples(false, false)
                    .build());
            // Then
            assertThat(big.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(first.getDecision()).isEqualTo(Decision.FORWARDED);
            assertThat(second.getDecision()).as("the forwarded request used the host's one per minute")
                    .isEqualTo(Decision.DENIED);
            assertThat(second.getDecidedBy().getName()).isEqualTo("per-host");
        }
    }
}
