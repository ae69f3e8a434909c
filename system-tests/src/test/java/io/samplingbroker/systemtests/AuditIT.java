package io.samplingbroker.systemtests;

import static io.samplingbroker.systemtests.AuditHistory.append;
import static io.samplingbroker.systemtests.AuditHistory.audit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.systemtests.AuditHistory.Output;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * An honest history written once by the real services ({@link AuditHistory}: an approved, a denied, an edited, a
 * failed, a response-rejected, a cancelled and an expired request on real Kafka and Apicurio), audited in-process:
 * its exact timelines, the summary, the readable table and a clean verify (chain and checkpoint); then each kind of
 * tampering, each on its own copy of the topics ({@link HistoryRewriter}), caught by verify naming the request (or,
 * for a request erased entirely, the partition the checkpoint covered). The history itself is only read, so the
 * tests do not depend on their order.
 */
@ExtendWith(KafkaStackExtension.class)
@TestInstance(Lifecycle.PER_CLASS)
class AuditIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditHistory history;

    @BeforeAll
    void writeTheHistoryThroughTheRealServices(KafkaStack stack, @TempDir Path dir) throws Exception {
        history = AuditHistory.write(stack, dir);
    }

    @Test
    void givenTheHistory_whenTimelinesArePrinted_thenEachOutcomeReadsAsItHappened() throws Exception {
        // When
        Map<String, JsonNode> byHost = AuditHistory.awaitTimelines(history.connection(), AuditHistory.HOSTS.size());

        // Then every timeline is exactly the story that happened
        assertThat(byHost.keySet()).containsExactlyInAnyOrder("host-approved", "host-denied", "host-failed",
                "host-edited", "host-rejected", "host-cancelled", "host-expired");
        assertThat(steps(byHost.get("host-approved"))).containsExactly(
                tuple("requested", "BROKER", "e2e-broker-1", null),
                tuple("decided", "DEFAULT_ACTION", "defaultAction", "APPROVED"),
                tuple("completed", "PROVIDER", "offline/offline-echo", "endTurn"),
                tuple("delivered", "BROKER", "e2e-broker-1", "result"));
        assertThat(steps(byHost.get("host-denied"))).containsExactly(
                tuple("requested", "BROKER", "e2e-broker-1", null),
                tuple("decided", "RULE", "no-secrets", "DENIED"),
                tuple("resolved", "COMPONENT", "approval-worker", "error"),
                tuple("delivered", "BROKER", "e2e-broker-1", "error"));
        assertThat(steps(byHost.get("host-failed"))).containsExactly(
                tuple("requested", "BROKER", "e2e-broker-1", null),
                tuple("decided", "RULE", "use-broken-model", "AMENDED"),
                tuple("failed", "PROVIDER", "dead", null),
                tuple("delivered", "BROKER", "e2e-broker-1", "error"));
        assertThat(steps(byHost.get("host-edited"))).containsExactly(
                tuple("requested", "BROKER", "e2e-broker-1", null),
                tuple("decided", "RULE", "hold-for-review", "HELD_FOR_REVIEW"),
                tuple("review-command", "REVIEWER", "alice", "REQUEST EDIT"),
                tuple("decided", "REVIEWER", "alice", "AMENDED"),
                tuple("completed", "PROVIDER", "offline/offline-echo", "endTurn"),
                tuple("delivered", "BROKER", "e2e-broker-1", "result"));
        assertThat(steps(byHost.get("host-rejected"))).containsExactly(
                tuple("requested", "BROKER", "e2e-broker-1", null),
                tuple("decided", "RULE", "check-answers", "APPROVED"),
                tuple("completed", "PROVIDER", "offline/offline-echo", "endTurn"),
                tuple("review-command", "REVIEWER", "bob", "RESPONSE DENY"),
                tuple("resolved", "REVIEWER", "bob", "RESPONSE DENY"),
                tuple("delivered", "BROKER", "e2e-broker-1", "error"));
        assertThat(steps(byHost.get("host-cancelled"))).containsExactly(
                tuple("requested", "BROKER", "e2e-broker-1", null),
                tuple("decided", "RULE", "hold-for-review", "HELD_FOR_REVIEW"),
                tuple("cancelled", "SERVER", "server", null));
        assertThat(steps(byHost.get("host-expired"))).containsExactly(
                tuple("requested", "BROKER", "e2e-broker-2", null),
                tuple("decided", "RULE", "hold-for-review", "HELD_FOR_REVIEW"),
                tuple("expired", "BROKER", "e2e-broker-2", null),
                tuple("delivered", "BROKER", "e2e-broker-2", "error"));
        Map<String, String> outcomes = new HashMap<>();
        byHost.forEach((host, timeline) -> outcomes.put(host, timeline.path("outcome").asText()));
        assertThat(outcomes).containsEntry("host-approved", "approved").containsEntry("host-denied", "denied")
                .containsEntry("host-failed", "failed").containsEntry("host-edited", "edited")
                .containsEntry("host-rejected", "rejected").containsEntry("host-cancelled", "cancelled")
                .containsEntry("host-expired", "expired");
        JsonNode edit0 = byHost.get("host-edited").path("events").get(3);
        assertThat(edit0.path("changes").toString()).contains("/messages/0/content/text: (").doesNotContain("ACME");
        assertThat(byHost.get("host-failed").path("events").get(2).path("failureCode").asText()).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(byHost.get("host-denied").path("events").get(3).path("errorCode").asInt()).isEqualTo(-1);
        assertThat(byHost.get("host-expired").path("events").get(3).path("errorCode").asInt()).isEqualTo(-32001);
        assertThat(byHost.get("host-approved").path("models").toString()).isEqualTo("[\"offline-echo\"]");
        assertThat(byHost.toString()).doesNotContain("What is MCP sampling?").doesNotContain("hunter2");
    }

    @Test
    void givenTheHistory_whenSummarised_thenEveryOutcomeServerModelTokenAndLatencyIsCounted() throws Exception {
        // When
        Output summary = audit(append(history.connection(), "summary", "--format", "jsonl"));

        // Then
        assertThat(summary.status()).isZero();
        JsonNode report = JSON.readTree(summary.out());
        assertThat(report.path("requests").asLong()).isEqualTo(7);
        for (String outcome : List.of("approved", "denied", "failed", "edited", "rejected", "cancelled", "expired")) {
            assertThat(report.path("byOutcome").path(outcome).asLong()).as(outcome).isEqualTo(1);
        }
        assertThat(report.path("byServer").path("everything").asLong()).isEqualTo(7);
        assertThat(report.path("byModel").path("offline-echo").asLong()).isEqualTo(3);
        assertThat(report.path("byModel").path("(none)").asLong()).isEqualTo(4);
        long input = history.byHost.values().stream().mapToLong(t -> t.path("inputTokens").asLong()).sum();
        assertThat(input).isPositive();
        assertThat(report.path("inputTokens").asLong()).isEqualTo(input);
        assertThat(report.path("latencyMs").path("delivered").asLong()).isEqualTo(6);
        assertThat(report.path("latencyMs").path("max").asLong()).isGreaterThanOrEqualTo(5000); // the expiry
    }

    @Test
    void givenTheHistory_whenOneRequestIsPrintedAsATable_thenItSaysWhoApprovedItWhichModelAnsweredAndTheCost() {
        // When
        Output table = audit(append(history.connection(), "timeline", "--host", "host-edited", "--server", "every*"));
        System.out.println(table.out());

        // Then
        assertThat(table.out()).contains("EDITED  host host-edited  server everything")
                .contains("reviewer alice").contains("model offline-echo").contains("reviewers alice")
                .contains("1 requests (0 still open)");
    }

    @Test
    void givenTheHistory_whenVerified_thenItIsCleanAndMatchesItsCheckpoint() {
        // When
        Output verify = audit(append(history.connection(), "verify"));
        Output againstCheckpoint = audit(append(history.connection(), "verify", "--checkpoint",
                history.checkpoint.toString()));

        // Then verify finds nothing wrong
        assertThat(verify.status()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("verify: OK; 7 requests checked (0 still open)");
        // and the checkpoint of this honest history, kept outside Kafka, matches it
        assertThat(againstCheckpoint.status()).as(againstCheckpoint.out()).isZero();
    }

    @Test
    void givenAnEventDeleted_whenVerified_thenTheRequestIsNamed() throws Exception {
        // Given a rewrite without the approved request's completion
        String approvedId = history.requestId("host-approved");
        String deleted = HistoryRewriter.uniquePrefix("deleted");
        history.rewriter().copy(deleted, SamplingTopics.COMPLETIONS, records -> without(records, approvedId));

        // When
        Output afterDelete = audit(append(history.connection(deleted), "verify"));

        // Then
        assertThat(afterDelete.status()).as(afterDelete.out()).isEqualTo(1);
        assertThat(afterDelete.out()).contains("chain: request " + approvedId).contains("deleted or altered");
    }

    @Test
    void givenTwoEventsReordered_whenVerified_thenTheRequestIsNamed() throws Exception {
        // Given a rewrite that swaps the edited request's held and edited decisions
        String editedId = history.requestId("host-edited");
        String reordered = HistoryRewriter.uniquePrefix("reordered");
        history.rewriter().copy(reordered, SamplingTopics.DECISIONS, records -> swapped(records, editedId));

        // When
        Output afterReorder = audit(append(history.connection(reordered), "verify"));

        // Then
        assertThat(afterReorder.status()).as(afterReorder.out()).isEqualTo(1);
        assertThat(afterReorder.out()).contains("chain: request " + editedId).contains("reordered");
    }

    @Test
    void givenAnAlteredCopyOfAnEventAppended_whenVerified_thenTheRequestIsNamed() throws Exception {
        // Given a copy of the history with an altered copy of the approved request's decision appended to its topic
        String approvedId = history.requestId("host-approved");
        String altered = HistoryRewriter.uniquePrefix("altered");
        HistoryRewriter rewriter = history.rewriter();
        SamplingTopics copy = untouchedCopy(rewriter, altered);
        appendAlteredCopy(rewriter, copy.decisions(), approvedId);

        // When
        Output afterAlter = audit(append(history.connection(altered), "verify"));

        // Then
        assertThat(afterAlter.status()).as(afterAlter.out()).isEqualTo(1);
        assertThat(afterAlter.out()).contains("chain: request " + approvedId).contains("altered after it was written");
    }

    @Test
    void givenARequestErasedEntirely_whenVerifiedAgainstACheckpoint_thenThePartitionIsNamed() throws Exception {
        // Given a copy without any event of the approved request
        String approvedId = history.requestId("host-approved");
        String erased = HistoryRewriter.uniquePrefix("erased");
        history.rewriter().copyKeeping(erased, record -> !approvedId.equals(record.key()));

        // When
        Output erasedChain = audit(append(history.connection(erased), "verify"));
        Output erasedCheckpoint = audit(append(history.connection(erased), "verify", "--checkpoint",
                history.checkpoint.toString()));

        // Then it leaves the chain nothing to check, but not the checkpoint of the honest history
        assertThat(erasedChain.out()).doesNotContain(approvedId);
        assertThat(erasedCheckpoint.status()).as(erasedCheckpoint.out()).isEqualTo(1);
        assertThat(erasedCheckpoint.out()).contains("checkpoint: ").contains("records were deleted");
    }

    @Test
    void givenADeliveryForARequestNobodyAsked_whenVerified_thenTheRecordIsNamed() throws Exception {
        // Given a copy of the history with a delivery for a request id no SamplingRequested names
        String ghostly = HistoryRewriter.uniquePrefix("ghost");
        SamplingTopics copy = untouchedCopy(history.rewriter(), ghostly);
        String ghost = writeGhostDelivery(copy.lifecycle());

        // When
        Output broken = audit(append(history.connection(ghostly), "verify"));

        // Then
        assertThat(broken.status()).isEqualTo(1);
        assertThat(broken.out()).containsPattern("known-request: request " + ghost + ": 1 event\\(s\\) \\(delivered\\)"
                + ".*\\[" + Pattern.quote(ghostly) + "lifecycle\\[\\d]@\\d+]")
                .contains("chain: request " + ghost).contains("known-request=1");
    }

    private static List<Tuple> steps(JsonNode timeline) {
        List<Tuple> steps = new ArrayList<>();
        for (JsonNode event : timeline.path("events")) {
            steps.add(tuple(event.path("type").asText(), event.path("actorKind").asText(), event.path("actor").asText(),
                    event.has("decision") ? event.path("decision").asText() : null));
        }
        return steps;
    }

    /** The history copied byte for byte under {@code prefix}, nothing changed. */
    private static SamplingTopics untouchedCopy(HistoryRewriter rewriter, String prefix) throws Exception {
        return rewriter.copy(prefix, null, records -> records);
    }

    private static List<ConsumerRecord<String, byte[]>> without(List<ConsumerRecord<String, byte[]>> records,
            String requestId) {
        return records.stream().filter(record -> !requestId.equals(record.key())).toList();
    }

    /** The request's first two records of the topic change places (their offsets are given by the copy). */
    private static List<ConsumerRecord<String, byte[]>> swapped(List<ConsumerRecord<String, byte[]>> records,
            String requestId) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records);
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (requestId.equals(all.get(i).key())) {
                positions.add(i);
            }
        }
        assertThat(positions).as("records of %s to swap", requestId).hasSizeGreaterThanOrEqualTo(2);
        ConsumerRecord<String, byte[]> first = all.get(positions.get(0));
        all.set(positions.get(0), all.get(positions.get(1)));
        all.set(positions.get(1), first);
        return all;
    }

    /**
     * Appends to {@code decisions} a copy of the request's decision there with one character of its last text
     * changed and its headers kept.
     */
    private void appendAlteredCopy(HistoryRewriter rewriter, TopicSpec<?> decisions, String requestId)
            throws Exception {
        ConsumerRecord<String, byte[]> original = rewriter.read(decisions).stream()
                .filter(record -> requestId.equals(record.key())).findFirst().orElseThrow();
        byte[] altered = original.value().clone();
        altered[altered.length - 1] ^= 0x01; // the last character of the last string: still valid Avro
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(history.kafka.producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(decisions.name(), original.partition(), original.key(), altered,
                    original.headers())).get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes to {@code lifecycle} a delivery for a request id no SamplingRequested names; returns the id. */
    private String writeGhostDelivery(TopicSpec<SpecificRecord> lifecycle) throws Exception {
        Map<String, Object> config = history.kafka.producerConfig();
        Instant now = Instant.now();
        String id = "ghost-" + UUID.randomUUID();
        SamplingContext context = SamplingContext.newBuilder().setRequestId(id).setTraceId("0".repeat(32))
                .setHostId("host-ghost").setServerName("everything").setSessionId("no-session").setJsonRpcId("1")
                .setRequestedAt(now).setDeadline(now.plusSeconds(30))
                .setReplyRoute(ReplyRoute.newBuilder().setBrokerInstanceId("nobody").build()).build();
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config, new StringSerializer(),
                lifecycle.valueSerializer(config, history.kafka.newRegistryClient()))) {
            producer.send(new ProducerRecord<>(lifecycle.name(), id, new SamplingDelivered(context, now, null)))
                    .get(30, TimeUnit.SECONDS);
        }
        return id;
    }
}
