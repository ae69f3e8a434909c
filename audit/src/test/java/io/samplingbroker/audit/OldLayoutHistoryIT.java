package io.samplingbroker.audit;

import static io.samplingbroker.audit.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * History that released versions wrote keeps verifying and printing the same. The topics are written here, on real
 * Kafka through the registry serde and with the event chain, exactly as the services wrote them before the broker
 * read completions: the model-worker's {@code SamplingResolved} on {@code results} after each completion it answered
 * (following the completion), the review topology's result after a reviewed completion, and the review topology's
 * {@code SamplingExpired} on {@code lifecycle} for a held request whose broker was gone. Then {@code verify} must be
 * clean and {@code timeline} must print {@value #GOLDEN}, which the audit of that release produced from this same
 * history ({@code -Daudit.golden.write=true} rewrites it from the code under test, for a deliberate change only).
 *
 * <p>Every time is fixed (occurredAt and record timestamps from {@link Events#T0}), the topic prefix is fixed and
 * records are written one at a time, so offsets and the output never vary from run to run.
 */
@ExtendWith(KafkaStackExtension.class)
class OldLayoutHistoryIT {

    static final String PREFIX = "audit-old-layout.";
    static final String GOLDEN = "old-layout/timeline.txt";
    static final boolean WRITE_GOLDEN = Boolean.getBoolean("audit.golden.write");
    static final String REVIEW_EXPIRY = "expired while waiting for review; the broker did not report it";

    private static KafkaStack stack;
    private static int records;

    @BeforeAll
    static void writeTheOldLayoutsHistory(KafkaStack kafkaStack) throws Exception {
        stack = kafkaStack;
        KafkaSettings kafka = KafkaSettings.of(stack.clientSettings(), stack.schemaRegistryUrl(),
                new TopicsConfig(PREFIX, 2, (short) 1, -1, Map.of()));
        SamplingTopics topics = kafka.samplingTopics();
        try (HistoryOnKafka writer = HistoryOnKafka.create(stack, kafka)) {
            try (Admin admin = Admin.create(kafka.adminConfig())) {
                TopicPartition first = new TopicPartition(topics.requests().name(), 0);
                long end = admin.listOffsets(Map.of(first, OffsetSpec.latest())).partitionResult(first)
                        .get(30, TimeUnit.SECONDS).offset();
                assertThat(end).as("%s must be new: the golden file names offsets", first).isZero();
            }
            writeHistory(writer, topics);
            records = writer.written();
        }
    }

    @Test
    void givenAHistoryWrittenWithTheOldLayout_whenVerified_thenNothingIsFound() {
        // Given the history written once for the class
        // When
        HistoryOnKafka.Run verify = HistoryOnKafka.audit(stack, PREFIX, "verify");
        // Then
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).isEqualTo("verify: OK; 10 requests checked (0 still open), " + records
                + " records read [checks: log-start, terminal, known-request, stage-order, chain]\n");
    }

    @Test
    void givenAHistoryWrittenWithTheOldLayout_whenPrintedAsTimelines_thenTheTextIsTheGoldenOne() throws IOException {
        // Given the history written once for the class
        // When
        HistoryOnKafka.Run timeline = HistoryOnKafka.audit(stack, PREFIX, "timeline");
        // Then
        assertThat(timeline.status()).as(timeline.err()).isZero();
        if (WRITE_GOLDEN) {
            Path file = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", GOLDEN);
            Files.createDirectories(file.getParent());
            Files.writeString(file, timeline.out(), StandardCharsets.UTF_8);
            System.out.println("golden timeline written to " + file.toAbsolutePath());
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(timeline.out());
            return;
        }
        assertThat(timeline.out()).isEqualTo(golden());
    }

    // ---- the history ----

    /**
     * Ten requests, five minutes apart, each written in the order and with the chain links the services of the old
     * layout used.
     */
    private static void writeHistory(HistoryOnKafka w, SamplingTopics topics) throws Exception {
        long at = 0;
        // 1. approved by the default action: the model-worker's result follows its completion, the delivery the result
        SamplingContext c = context("old-approved", at);
        byte[] request = w.write(topics.requests(), at, Events.requested(c, "What is MCP sampling?"), null);
        byte[] decision = w.write(topics.decisions(), at + 7, Events.decided(c, at + 7, Decision.APPROVED,
                DeciderKind.DEFAULT_ACTION, "defaultAction", null, List.of()), request);
        byte[] completion = w.write(topics.completions(), at + 619, Events.completed(c, at + 619, "offline-echo", 11, 12), decision);
        byte[] result = w.write(topics.results(), at + 620, Events.resolvedResult(c, at + 620, "offline-echo"), completion);
        w.write(topics.lifecycle(), at + 626, Events.delivered(c, at + 626, null), result);

        // 2. amended by a rule (tokens capped)
        at += 300_000;
        c = context("old-amended", at);
        request = w.write(topics.requests(), at, Events.requested(c, "Summarise the release notes"), null);
        decision = w.write(topics.decisions(), at + 9, Events.decided(c, at + 9, Decision.AMENDED, DeciderKind.RULE,
                "cap-tokens", "maxTokens capped", List.of("/maxTokens: 100 -> 50")), request);
        completion = w.write(topics.completions(), at + 402, Events.completed(c, at + 402, "offline-echo", 7, 5), decision);
        result = w.write(topics.results(), at + 403, Events.resolvedResult(c, at + 403, "offline-echo"), completion);
        w.write(topics.lifecycle(), at + 410, Events.delivered(c, at + 410, null), result);

        // 3. denied by a rule: the approval-worker's error follows the request
        at += 300_000;
        c = context("old-denied", at);
        request = w.write(topics.requests(), at, Events.requested(c, "my password is hunter2"), null);
        w.write(topics.decisions(), at + 6, Events.decided(c, at + 6, Decision.DENIED, DeciderKind.RULE, "no-secrets",
                "Prompts with passwords", List.of()), request);
        result = w.write(topics.results(), at + 6, Events.resolvedError(c, at + 6, -1, "approval-worker", null), request);
        w.write(topics.lifecycle(), at + 12, Events.delivered(c, at + 12, -1), result);

        // 4. the provider failed: the model-worker's error follows the failure
        at += 300_000;
        c = context("old-failed", at);
        request = w.write(topics.requests(), at, Events.requested(c, "hello"), null);
        decision = w.write(topics.decisions(), at + 8, Events.decided(c, at + 8, Decision.APPROVED, DeciderKind.RULE,
                "allow-all", null, List.of()), request);
        byte[] failure = w.write(topics.completions(), at + 1_450, Events.failed(c, at + 1_450, "PROVIDER_UNAVAILABLE"), decision);
        result = w.write(topics.results(), at + 1_451, Events.resolvedError(c, at + 1_451, -32002, "model-worker", null), failure);
        w.write(topics.lifecycle(), at + 1_458, Events.delivered(c, at + 1_458, -32002), result);

        // 5. held, edited by a reviewer (Kafka Streams stamps her decision with her command's record time), answered
        at += 300_000;
        c = context("old-request-edited", at);
        request = w.write(topics.requests(), at, Events.requested(c, "Tell me about ACME's contract"), null);
        byte[] held = w.write(topics.decisions(), at + 7, Events.decided(c, at + 7, Decision.HELD_FOR_REVIEW,
                DeciderKind.RULE, "hold-for-review", "needs a human", List.of()), request);
        w.write(topics.reviewCommands(), at + 6_000, Events.command(c, at + 6_000, ReviewStage.REQUEST,
                ReviewAction.EDIT, "alice"), null);
        decision = w.write(topics.decisions(), at + 6_000, Events.decided(c, at + 6_083, Decision.AMENDED,
                DeciderKind.REVIEWER, "alice", "no customer names",
                List.of("/messages/0/content/0/text: \"Tell me about ACME's contract\" -> \"Tell me about the contract\"")),
                held);
        completion = w.write(topics.completions(), at + 6_700, Events.completed(c, at + 6_700, "offline-echo", 9, 14), decision);
        result = w.write(topics.results(), at + 6_701, Events.resolvedResult(c, at + 6_701, "offline-echo"), completion);
        w.write(topics.lifecycle(), at + 6_709, Events.delivered(c, at + 6_709, null), result);

        // 6. response review, approved: the model-worker wrote only the completion, the review topology the result
        at += 300_000;
        c = context("old-response-approved", at);
        request = w.write(topics.requests(), at, Events.requested(c, "Draft a reply to the customer"), null);
        decision = w.write(topics.decisions(), at + 8, reviewResponse(Events.decided(c, at + 8, Decision.APPROVED,
                DeciderKind.RULE, "check-answers", "answers to customers are reviewed", List.of())), request);
        completion = w.write(topics.completions(), at + 530, Events.completed(c, at + 530, "offline-echo", 6, 20), decision);
        w.write(topics.reviewCommands(), at + 9_000, Events.command(c, at + 9_000, ReviewStage.RESPONSE,
                ReviewAction.APPROVE, "bob"), null);
        result = w.write(topics.results(), at + 9_000, SamplingResolved.newBuilder(Events.resolvedResult(c, at + 9_041,
                "offline-echo")).setResolvedBy("reviewer")
                .setReview(Events.verdict("bob", at + 9_041, ReviewAction.APPROVE, List.of())).build(), completion);
        w.write(topics.lifecycle(), at + 9_050, Events.delivered(c, at + 9_050, null), result);

        // 7. response review, rejected
        at += 300_000;
        c = context("old-response-rejected", at);
        request = w.write(topics.requests(), at, Events.requested(c, "Draft a refund offer"), null);
        decision = w.write(topics.decisions(), at + 8, reviewResponse(Events.decided(c, at + 8, Decision.APPROVED,
                DeciderKind.RULE, "check-answers", "answers to customers are reviewed", List.of())), request);
        completion = w.write(topics.completions(), at + 611, Events.completed(c, at + 611, "offline-echo", 5, 18), decision);
        w.write(topics.reviewCommands(), at + 12_000, Events.command(c, at + 12_000, ReviewStage.RESPONSE,
                ReviewAction.DENY, "bob"), null);
        result = w.write(topics.results(), at + 12_000, Events.resolvedError(c, at + 12_037, -32003, "reviewer",
                Events.verdict("bob", at + 12_037, ReviewAction.DENY, List.of())), completion);
        w.write(topics.lifecycle(), at + 12_044, Events.delivered(c, at + 12_044, -32003), result);

        // 8. held while its broker was gone: the review topology expired it on lifecycle, after the held decision
        at += 300_000;
        c = context("old-review-expired", at);
        request = w.write(topics.requests(), at, Events.requested(c, "Is this safe to run?"), null);
        held = w.write(topics.decisions(), at + 7, Events.decided(c, at + 7, Decision.HELD_FOR_REVIEW, DeciderKind.RULE,
                "hold-for-review", "needs a human", List.of()), request);
        w.write(topics.lifecycle(), at + 36_012, new SamplingExpired(c, T0.plusMillis(at + 36_012), REVIEW_EXPIRY), held);

        // 9. the model was too slow: the broker expired it and delivered -32001 after its expiry
        at += 300_000;
        c = context("old-broker-expired", at);
        request = w.write(topics.requests(), at, Events.requested(c, "Write a long essay"), null);
        w.write(topics.decisions(), at + 9, Events.decided(c, at + 9, Decision.APPROVED, DeciderKind.DEFAULT_ACTION,
                "defaultAction", null, List.of()), request);
        byte[] expiry = w.write(topics.lifecycle(), at + 30_000, Events.expired(c, at + 30_000), request);
        w.write(topics.lifecycle(), at + 30_001, Events.delivered(c, at + 30_001, -32001), expiry);

        // 10. held, and the server gave up: the broker's cancellation follows the request
        at += 300_000;
        c = context("old-cancelled", at);
        request = w.write(topics.requests(), at, Events.requested(c, "Never mind"), null);
        w.write(topics.decisions(), at + 7, Events.decided(c, at + 7, Decision.HELD_FOR_REVIEW, DeciderKind.RULE,
                "hold-for-review", "needs a human", List.of()), request);
        w.write(topics.lifecycle(), at + 4_200, Events.cancelled(c, at + 4_200), request);
    }

    /** A request asked {@code millis} after T0, with the old broker's reply route (results topic), deadline 30 s. */
    private static SamplingContext context(String id, long millis) {
        Instant requestedAt = T0.plusMillis(millis);
        SamplingContext c = Events.context(id, "vscode-alice", "everything", requestedAt, requestedAt.plusSeconds(30));
        c.getReplyRoute().setReplyTopic(PREFIX + SamplingTopics.RESULTS);
        return c;
    }

    /** The policy's approval that asks a reviewer to see the response (the old layout's review mark). */
    private static SamplingDecided reviewResponse(SamplingDecided decided) {
        return SamplingDecided.newBuilder(decided).setReviewResponse(true).build();
    }

    // ---- running the audit ----

    private static String golden() throws IOException {
        try (InputStream in = OldLayoutHistoryIT.class.getClassLoader().getResourceAsStream(GOLDEN)) {
            assertThat(in).as("the golden timeline %s on the test class path", GOLDEN).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
