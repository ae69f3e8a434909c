package io.samplingbroker.approvalworker.topology;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.RefusalReason;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;

/** Rule order, default action, denials and the events each decision writes, through the real topology. */
class ApprovalTopologyTest {

    private static final String FIRST_MATCH_POLICY = """
            defaultAction: {action: approve}
            rules:
              - id: deny-cursor
                when: {host: "cursor-*"}
                action: deny
                reason: Cursor hosts may not sample
              - id: approve-everything-server
                when: {server: everything}
                action: approve
                reason: trusted server
            """;

    @Test
    void givenTwoRulesThatBothMatch_whenARequestArrives_thenTheFirstRuleDecides() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(FIRST_MATCH_POLICY)) {
            // When
            SamplingDecided both = harness.decide(request("req-both").host("cursor-1").server("everything").build());
            SamplingDecided secondOnly = harness.decide(request("req-second").host("vscode-1").server("everything").build());
            // Then
            assertThat(both.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(both.getDecidedBy()).isEqualTo(new Decider(DeciderKind.RULE, "deny-cursor"));
            assertThat(secondOnly.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(secondOnly.getDecidedBy()).isEqualTo(new Decider(DeciderKind.RULE, "approve-everything-server"));
            assertThat(secondOnly.getReason()).isEqualTo("trusted server");
        }
    }

    @Test
    void givenARequestWrittenUnderTheBrokersSpan_whenDecided_thenADecideSpanFollowsItAndTheDecisionAndDenialAreWrittenUnderIt() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(FIRST_MATCH_POLICY)) {
            // Given the broker's span b7ad... of trace 0af7...
            String trace = "0af7651916cd43dd8448eb211c80319c";
            RecordHeaders headers = new RecordHeaders();
            headers.add("traceparent", ("00-" + trace + "-b7ad6b7169203331-01").getBytes(StandardCharsets.UTF_8));

            // When
            harness.send(request("req-traced").host("cursor-1").build(), headers);

            // Then
            SpanData decide = harness.spans.getFinishedSpanItems().get(0);
            assertThat(decide.getName()).isEqualTo("sampling decide");
            assertThat(decide.getTraceId()).isEqualTo(trace);
            assertThat(decide.getParentSpanId()).isEqualTo("b7ad6b7169203331");
            assertThat(decide.getAttributes().asMap()).extractingFromEntries(entry -> entry.getKey().getKey() + "="
                    + entry.getValue()).contains("sampling.decision=DENIED", "sampling.decided_by=RULE deny-cursor",
                    "sampling.request_id=req-traced", "sampling.host=cursor-1");
            String underDecide = "00-" + trace + "-" + decide.getSpanId() + "-01";
            assertThat(harness.decisionRecords()).singleElement().satisfies(record -> assertThat(
                    TraceHeaders.traceParentOf(TraceHeaders.extract(record.headers()))).isEqualTo(underDecide));
            assertThat(harness.resultRecords()).as("the denial for the broker").singleElement().satisfies(record ->
                    assertThat(TraceHeaders.traceParentOf(TraceHeaders.extract(record.headers())))
                            .isEqualTo(underDecide));
        }
    }

    @Test
    void givenARequestTheBrokerRefused_whenItsRecordArrives_thenNothingIsDecidedAndTheNextRequestIs() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(FIRST_MATCH_POLICY)) {
            // Given
            SamplingRequested asked = request("req-refused").host("vscode-1").build();
            SamplingRefused refused = SamplingRefused.newBuilder().setContext(asked.getContext())
                    .setOccurredAt(Requests.T0).setReason(RefusalReason.TOO_LARGE)
                    .setErrorCode(SamplingErrors.INVALID_PARAMS)
                    .setDetail("8388700 bytes, more than the 1000000 of broker.sampling.max.request.bytes")
                    .setRequestBytes(8_388_700).setRequestSha256("ab".repeat(32)).build();
            // When
            harness.sendRefused(refused);
            SamplingDecided next = harness.decide(request("req-next").host("vscode-1").build());
            // Then: only the next request was decided; the refused one has no decision and no result
            assertThat(next.getContext().getRequestId()).isEqualTo("req-next");
            assertThat(harness.decisionRecords()).isEmpty();
            assertThat(harness.resultRecords()).isEmpty();
        }
    }

    @Test
    void givenNoRuleMatches_whenTheDefaultApproves_thenTheDecisionCarriesTheRequestUnchangedAndNoResultIsWritten() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(FIRST_MATCH_POLICY)) {
            // Given
            SamplingRequested request = request("req-default").host("vscode-1").server("filesystem").maxTokens(4000).build();
            // When
            SamplingDecided decided = harness.decide(request);
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(decided.getDecidedBy()).isEqualTo(new Decider(DeciderKind.DEFAULT_ACTION, "defaultAction"));
            assertThat(decided.getEffectiveParams()).isEqualTo(request.getParams());
            assertThat(decided.getChanges()).isEmpty();
            assertThat(decided.getReason()).isNull();
            assertThat(decided.getContext()).isEqualTo(request.getContext());
            assertThat(decided.getOccurredAt()).isEqualTo(harness.clock.instant());
            assertThat(harness.resultRecords()).isEmpty();
        }
    }

    @Test
    void givenADefaultDeny_whenNoRuleMatches_thenTheRequestIsDeniedByTheDefaultAction() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: deny, reason: Sampling is closed}
                rules:
                  - id: only-vscode
                    when: {host: "vscode-*"}
                    action: approve
                """)) {
            // When
            SamplingDecided decided = harness.decide(request("req-closed").host("zed").build());
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(decided.getDecidedBy()).isEqualTo(new Decider(DeciderKind.DEFAULT_ACTION, "defaultAction"));
            assertThat(decided.getReason()).isEqualTo("Sampling is closed");
            assertThat(harness.resultRecords()).hasSize(1);
        }
    }

    @Test
    void givenADenyRule_whenItMatches_thenADecisionAndAUserRejectedResultAreWrittenWithTheRequestContext()
            throws Exception {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(FIRST_MATCH_POLICY)) {
            // Given
            SamplingRequested request = request("req-denied").host("cursor-7").build();
            // When
            SamplingDecided decided = harness.decide(request);
            List<TestRecord<String, SamplingResolved>> results = harness.resultRecords();
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(decided.getReason()).isEqualTo("Cursor hosts may not sample");
            assertThat(decided.getEffectiveParams()).isNull();
            assertThat(results).hasSize(1);
            assertThat(results.get(0).key()).isEqualTo("req-denied");
            SamplingResolved resolved = results.get(0).value();
            assertThat(resolved.getContext()).isEqualTo(request.getContext());
            assertThat(resolved.getOccurredAt()).isEqualTo(harness.clock.instant());
            assertThat(resolved.getResolvedBy()).isEqualTo("approval-worker");
            assertThat(resolved.getCreateMessageResult()).isNull();
            assertThat(resolved.getError().getCode()).isEqualTo(SamplingErrors.USER_REJECTED).isEqualTo(-1);
            assertThat(resolved.getError().getMessage()).isEqualTo("User rejected sampling request");
            assertThat(new ObjectMapper().readTree(resolved.getError().getData()).get("reason").asText())
                    .isEqualTo("Cursor hosts may not sample");
        }
    }

    @Test
    void givenADenyRuleWithoutReason_whenItMatches_thenTheReasonNamesTheRule() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - {id: no-zed, when: {host: zed}, action: deny}
                """)) {
            // When
            SamplingDecided decided = harness.decide(request("req-zed").host("zed").build());
            // Then
            assertThat(decided.getReason()).isEqualTo("Denied by policy rule no-zed");
            assertThat(harness.resultRecords().get(0).value().getError().getData())
                    .isEqualTo("{\"reason\":\"Denied by policy rule no-zed\"}");
        }
    }

    @Test
    void givenACancellationBeforeTheDecision_whenTheRequestArrives_thenItIsSkippedAndOthersAreStillDecided() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(FIRST_MATCH_POLICY)) {
            // Given
            Requests cancelledRequest = request("req-cancelled").host("cursor-1");
            harness.sendLifecycle(cancelledRequest.cancelled(), "req-cancelled");
            // When
            harness.send(cancelledRequest.build());
            harness.send(request("req-live").build());
            // Then
            assertThat(harness.decisionRecords()).extracting(TestRecord::key).containsExactly("req-live");
            assertThat(harness.resultRecords()).isEmpty();
        }
    }

    @Test
    void givenARequestWhoseDeadlineHasPassed_whenItArrives_thenNothingIsWritten() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(FIRST_MATCH_POLICY)) {
            // Given: the clock is past the request's deadline
            harness.clock.set(Requests.T0.plus(Duration.ofMinutes(2)));
            // When
            harness.send(request("req-late").host("cursor-1").deadlineAfter(Duration.ofMinutes(1)).build());
            // Then
            assertThat(harness.decisionRecords()).isEmpty();
            assertThat(harness.resultRecords()).isEmpty();
        }
    }
}
