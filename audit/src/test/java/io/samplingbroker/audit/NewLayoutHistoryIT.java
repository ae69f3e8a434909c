package io.samplingbroker.audit;

import static io.samplingbroker.audit.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * History written the new way, on real Kafka with the registry serde and the event chain: the model-worker writes only
 * the completion, the broker delivers it straight (the delivery follows the completion), and a response the policy
 * routes to review (reply topic: this prefix's reviews topic) is delivered from the reviewer's result. A fourth
 * request was delivered from a completion routed to review with no reviewer's result: {@code verify} names it and
 * only it, which also shows the audit tells the reviews topic by the replayed prefix, not a default one.
 */
@ExtendWith(KafkaStackExtension.class)
class NewLayoutHistoryIT {

    private static KafkaStack stack;
    private static String prefix;
    private static int records;

    @BeforeAll
    static void writeTheNewLayoutsHistory(KafkaStack kafkaStack) throws Exception {
        stack = kafkaStack;
        prefix = KafkaStack.uniqueName("audit-new-layout") + ".";
        KafkaSettings kafka = KafkaSettings.of(stack.clientSettings(), stack.schemaRegistryUrl(),
                new TopicsConfig(prefix, 1, (short) 1, -1, Map.of()));
        SamplingTopics topics = kafka.samplingTopics();
        try (HistoryOnKafka w = HistoryOnKafka.create(stack, kafka)) {
            long at = 0;
            // delivered from the completion routed to the broker
            SamplingContext c = context("new-approved", at, topics);
            byte[] request = w.write(topics.requests(), at, Events.requested(c, "What is MCP sampling?"), null);
            byte[] decision = w.write(topics.decisions(), at + 7, Events.decided(c, at + 7, Decision.APPROVED,
                    DeciderKind.DEFAULT_ACTION, "defaultAction", null, List.of()), request);
            byte[] completion = w.write(topics.completions(), at + 619, Events.completed(c, at + 619, "offline-echo", 11, 12), decision);
            w.write(topics.lifecycle(), at + 626, Events.delivered(c, at + 626, null), completion);

            // delivered from the failure routed to the broker, as SAMPLING_FAILED
            at += 300_000;
            c = context("new-failed", at, topics);
            request = w.write(topics.requests(), at, Events.requested(c, "hello"), null);
            decision = w.write(topics.decisions(), at + 8, Events.decided(c, at + 8, Decision.APPROVED, DeciderKind.RULE,
                    "allow-all", null, List.of()), request);
            byte[] failure = w.write(topics.completions(), at + 1_450, Events.failed(c, at + 1_450, "PROVIDER_UNAVAILABLE"), decision);
            w.write(topics.lifecycle(), at + 1_458, Events.delivered(c, at + 1_458, SamplingErrors.SAMPLING_FAILED), failure);

            // routed to review; bob released it; his result (routed back to the broker) was delivered
            at += 300_000;
            c = context("new-reviewed", at, topics);
            SamplingContext review = ReplyRoutes.viaReview(c, topics);
            request = w.write(topics.requests(), at, Events.requested(c, "Draft a reply to the customer"), null);
            decision = w.write(topics.decisions(), at + 8, reviewResponse(Events.decided(review, at + 8, Decision.APPROVED,
                    DeciderKind.RULE, "check-answers", "answers to customers are reviewed", List.of())), request);
            completion = w.write(topics.completions(), at + 530, Events.completed(review, at + 530, "offline-echo", 6, 20), decision);
            w.write(topics.reviewCommands(), at + 9_000, Events.command(c, at + 9_000, ReviewStage.RESPONSE,
                    ReviewAction.APPROVE, "bob"), null);
            byte[] result = w.write(topics.results(), at + 9_000, SamplingResolved.newBuilder(Events.resolvedResult(
                    ReplyRoutes.toBroker(c, topics), at + 9_041, "offline-echo")).setResolvedBy("reviewer")
                    .setReview(Events.verdict("bob", at + 9_041, ReviewAction.APPROVE, List.of())).build(), completion);
            w.write(topics.lifecycle(), at + 9_050, Events.delivered(c, at + 9_050, null), result);

            // routed to review, yet delivered from the completion: no reviewer saw it
            at += 300_000;
            c = context("new-unreviewed", at, topics);
            review = ReplyRoutes.viaReview(c, topics);
            request = w.write(topics.requests(), at, Events.requested(c, "Draft a refund offer"), null);
            decision = w.write(topics.decisions(), at + 8, reviewResponse(Events.decided(review, at + 8, Decision.APPROVED,
                    DeciderKind.RULE, "check-answers", "answers to customers are reviewed", List.of())), request);
            completion = w.write(topics.completions(), at + 611, Events.completed(review, at + 611, "offline-echo", 5, 18), decision);
            w.write(topics.lifecycle(), at + 640, Events.delivered(c, at + 640, null), completion);
            records = w.written();
        }
    }

    @Test
    void givenANewLayoutHistory_whenVerified_thenOnlyTheResponseDeliveredWithoutItsReviewIsFound() {
        // Given the history written once for the class
        // When
        HistoryOnKafka.Run verify = HistoryOnKafka.audit(stack, prefix, "verify");
        // Then
        assertThat(verify.status()).as(verify.out() + verify.err()).isEqualTo(1);
        assertThat(verify.out()).isEqualTo("stage-order: request new-unreviewed: delivery of a response routed to"
                + " review without a reviewer's result [" + prefix + "lifecycle[0]@3]\n"
                + "verify: 1 problem(s) {stage-order=1}; 4 requests checked (0 still open), " + records
                + " records read [checks: log-start, terminal, known-request, stage-order, chain]\n");
    }

    @Test
    void givenANewLayoutHistory_whenPrintedAsTimelines_thenOutcomesAreThoseOfTheOldLayoutAndTheReviewRouteIsShown() {
        // Given the history written once for the class
        // When
        HistoryOnKafka.Run timeline = HistoryOnKafka.audit(stack, prefix, "timeline");
        // Then
        assertThat(timeline.status()).as(timeline.err()).isZero();
        assertThat(timeline.out().lines().filter(l -> l.startsWith("request ")).map(l -> l.split("  ")[0] + " " + l.split("  ")[1]))
                .containsExactly("request new-approved APPROVED", "request new-failed FAILED",
                        "request new-reviewed APPROVED", "request new-unreviewed APPROVED");
        assertThat(timeline.out()).doesNotContain(" resolved       component");
        assertThat(timeline.out().lines().filter(l -> l.contains("routed to review")))
                .hasSize(2).allSatisfy(l -> assertThat(l).contains(" completed      provider offline/offline-echo"));
        assertThat(timeline.out()).contains("  = model offline-echo  tokens in 11 out 12  latency 0.626s  reviewers -")
                .contains("  = model -  tokens in 0 out 0  latency 1.458s  reviewers -")
                .contains("  = model offline-echo  tokens in 6 out 20  latency 9.050s  reviewers bob");
    }

    /** A request asked {@code millis} after T0, with the broker's reply route (this prefix's results topic). */
    private static SamplingContext context(String id, long millis, SamplingTopics topics) {
        Instant requestedAt = T0.plusMillis(millis);
        return ReplyRoutes.toBroker(Events.context(id, "vscode-alice", "everything", requestedAt,
                requestedAt.plusSeconds(30)), topics);
    }

    private static SamplingDecided reviewResponse(SamplingDecided decided) {
        return SamplingDecided.newBuilder(decided).setReviewResponse(true).build();
    }

}
