package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.audit.AuditMain;
import io.samplingbroker.broker.Broker;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.testing.KafkaStack;
import io.samplingbroker.testing.KafkaStackExtension;
import io.samplingbroker.testing.TestPeers;

/**
 * An honest history written by the real services (broker, approval-worker, model-worker, server-everything, the
 * TypeScript SDK client) on real Kafka and Apicurio, then audited in-process: the exact timelines of an approved,
 * a denied, an edited, a failed, a cancelled, an expired and a rejected request, the summary, and a clean verify.
 */
@ExtendWith(KafkaStackExtension.class)
class AuditIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REVIEW_TIMEOUT = Duration.ofSeconds(30);
    private static final String POLICY = """
            defaultAction: approve
            rules:
              - id: no-secrets
                when: {textMatches: ['(?i)password']}
                action: deny
                reason: Prompts with passwords are not sent to models.
              - id: use-broken-model
                when: {textMatches: ['(?i)unreachable']}
                action: amend
                amend: {forceModel: broken-model}
              - id: hold-for-review
                when: {textMatches: ['(?i)review me']}
                action: hold
                reason: needs a human
              - id: check-answers
                when: {textMatches: ['(?i)check the answer']}
                action: approve
                reviewResponse: true
            """;
    /** The offline model by default, and a model whose provider nobody listens for (port 9, discard). */
    private static final String MODELS = """
            defaultModel: offline-echo
            providers:
              offline: {type: offline}
              dead: {type: openai-compatible, baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0, connectTimeoutMs: 1000}
            models:
              - {name: offline-echo, provider: offline}
              - {name: broken-model, provider: dead}
            """;

    @Test
    void givenAHistoryOfEveryOutcomeWrittenByTheRealServices_whenAudited_thenTimelinesSummaryAndVerifyAreExact(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, POLICY, MODELS, EndToEndIT.stdioEverything(),
                List.of(Duration.ofSeconds(55), Duration.ofSeconds(5)), null)) {
            Broker patient = services.brokers.get(0);
            Broker hasty = services.brokers.get(1);
            // Given: approved, denied and failed straight through
            assertThat(ask(patient, "What is MCP sampling?", "host-approved").get(90, TimeUnit.SECONDS).ok()).isTrue();
            assertThat(ask(patient, "my password is hunter2", "host-denied").get(90, TimeUnit.SECONDS).output())
                    .contains("User rejected sampling request");
            assertThat(ask(patient, "send this to the unreachable model", "host-failed").get(90, TimeUnit.SECONDS)
                    .output()).contains("Sampling failed");
            // edited by reviewer alice
            CompletableFuture<TestPeers.ClientResult> edited = ask(patient, "please review me: ACME", "host-edited");
            ReviewItem held = awaitPending(services, "host-edited", ReviewStage.REQUEST);
            ReviewCommand edit = command(held, ReviewStage.REQUEST, ReviewAction.EDIT, "alice");
            edit.setEditedParams(CreateMessageParams.newBuilder(held.getParams()).setMessages(List.of(SamplingMessage
                    .newBuilder(held.getParams().getMessages().get(0))
                    .setContent(List.of(new TextContent("please review me: a customer", null, null, null))).build())).build());
            services.sendReviewCommand(edit);
            assertThat(edited.get(90, TimeUnit.SECONDS).output()).contains("a customer");
            // the answer rejected by reviewer bob
            CompletableFuture<TestPeers.ClientResult> rejected = ask(patient, "check the answer", "host-rejected");
            ReviewItem answer = awaitPending(services, "host-rejected", ReviewStage.RESPONSE);
            ReviewCommand deny = command(answer, ReviewStage.RESPONSE, ReviewAction.DENY, "bob");
            deny.setReason("the answer names a customer");
            services.sendReviewCommand(deny);
            assertThat(rejected.get(90, TimeUnit.SECONDS).output()).contains("-32003");
            // cancelled while held: what the broker does on the server's notifications/cancelled (server-everything
            // sends it only after 60 s)
            // (that client gives up after 15 s instead of 90 s, so no client outlives the test)
            ask(patient, "review me, then cancel", "host-cancelled", "15000");
            ReviewItem toCancel = awaitPending(services, "host-cancelled", ReviewStage.REQUEST);
            assertThat(patient.dispatcher().cancel(toCancel.getContext().getSessionId(),
                    toCancel.getContext().getJsonRpcId(), "test: the server cancelled")).isTrue();
            // expired while held, on the broker with a 5 s deadline
            assertThat(ask(hasty, "review me if you can", "host-expired").get(90, TimeUnit.SECONDS).output())
                    .contains("-32001");

            // When the history is complete (lifecycle events are written asynchronously)
            String prefix = services.kafka.topics().prefix();
            String[] connection = {"--bootstrap-servers", stack.bootstrapServers(), "--registry-url",
                stack.schemaRegistryUrl(), "--topic-prefix", prefix};
            Map<String, JsonNode> byHost = awaitTimelines(connection, 7);

            // Then every timeline is exactly the story that happened
            assertThat(byHost.keySet()).containsExactlyInAnyOrder("host-approved", "host-denied", "host-failed",
                    "host-edited", "host-rejected", "host-cancelled", "host-expired");
            assertThat(steps(byHost.get("host-approved"))).containsExactly(
                    tuple("requested", "BROKER", "e2e-broker-1", null),
                    tuple("decided", "DEFAULT_ACTION", "defaultAction", "APPROVED"),
                    tuple("completed", "PROVIDER", "offline/offline-echo", "endTurn"),
                    tuple("resolved", "COMPONENT", "model-worker", "result"),
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
                    tuple("resolved", "COMPONENT", "model-worker", "error"),
                    tuple("delivered", "BROKER", "e2e-broker-1", "error"));
            assertThat(steps(byHost.get("host-edited"))).containsExactly(
                    tuple("requested", "BROKER", "e2e-broker-1", null),
                    tuple("decided", "RULE", "hold-for-review", "HELD_FOR_REVIEW"),
                    tuple("review-command", "REVIEWER", "alice", "REQUEST EDIT"),
                    tuple("decided", "REVIEWER", "alice", "AMENDED"),
                    tuple("completed", "PROVIDER", "offline/offline-echo", "endTurn"),
                    tuple("resolved", "COMPONENT", "model-worker", "result"),
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

            // and the summary counts them
            Output summary = audit(append(connection, "summary", "--format", "jsonl"));
            assertThat(summary.status).isZero();
            JsonNode report = JSON.readTree(summary.out);
            assertThat(report.path("requests").asLong()).isEqualTo(7);
            for (String outcome : List.of("approved", "denied", "failed", "edited", "rejected", "cancelled", "expired")) {
                assertThat(report.path("byOutcome").path(outcome).asLong()).as(outcome).isEqualTo(1);
            }
            assertThat(report.path("byServer").path("everything").asLong()).isEqualTo(7);
            assertThat(report.path("byModel").path("offline-echo").asLong()).isEqualTo(3);
            assertThat(report.path("byModel").path("(none)").asLong()).isEqualTo(4);
            long input = byHost.values().stream().mapToLong(t -> t.path("inputTokens").asLong()).sum();
            assertThat(input).isPositive();
            assertThat(report.path("inputTokens").asLong()).isEqualTo(input);
            assertThat(report.path("latencyMs").path("delivered").asLong()).isEqualTo(6);
            assertThat(report.path("latencyMs").path("max").asLong()).isGreaterThanOrEqualTo(5000); // the expiry

            // and the readable table answers "who approved it, which model, what did it cost"
            Output table = audit(append(connection, "timeline", "--host", "host-edited", "--server", "every*"));
            System.out.println(table.out);
            assertThat(table.out).contains("EDITED  host host-edited  server everything")
                    .contains("reviewer alice").contains("model offline-echo").contains("reviewers alice")
                    .contains("1 requests (0 still open)");

            // and verify finds nothing wrong
            Output verify = audit(append(connection, "verify"));
            assertThat(verify.status).as(verify.out).isZero();
            assertThat(verify.out).contains("verify: OK; 7 requests checked (0 still open)");

            // and a checkpoint of this honest history, kept outside Kafka, matches it
            Path checkpoint = dir.resolve("checkpoint.json");
            Output written = audit(append(connection, "verify", "--write-checkpoint", checkpoint.toString()));
            assertThat(written.status).as(written.out).isZero();
            assertThat(audit(append(connection, "verify", "--checkpoint", checkpoint.toString())).status).isZero();

            // and each kind of tampering is caught, naming its request: a deleted event (a rewrite without the
            // approved request's completion), two events swapped (the edited request's held and edited decisions)
            HistoryRewriter rewriter = new HistoryRewriter(services.kafka);
            String approvedId = byHost.get("host-approved").path("requestId").asText();
            String editedId = byHost.get("host-edited").path("requestId").asText();
            String deleted = HistoryRewriter.uniquePrefix("deleted");
            rewriter.copy(deleted, SamplingTopics.COMPLETIONS, records -> without(records, approvedId));
            Output afterDelete = audit(append(connection(stack, deleted), "verify"));
            assertThat(afterDelete.status).as(afterDelete.out).isEqualTo(1);
            assertThat(afterDelete.out).contains("chain: request " + approvedId).contains("deleted or altered");
            String reordered = HistoryRewriter.uniquePrefix("reordered");
            rewriter.copy(reordered, SamplingTopics.DECISIONS, records -> swapped(records, editedId));
            Output afterReorder = audit(append(connection(stack, reordered), "verify"));
            assertThat(afterReorder.status).as(afterReorder.out).isEqualTo(1);
            assertThat(afterReorder.out).contains("chain: request " + editedId).contains("reordered");
            // and a request erased entirely leaves the chain nothing to check, but not the checkpoint
            String erased = HistoryRewriter.uniquePrefix("erased");
            rewriter.copyKeeping(erased, record -> !approvedId.equals(record.key()));
            Output erasedChain = audit(append(connection(stack, erased), "verify"));
            assertThat(erasedChain.out).doesNotContain(approvedId);
            Output erasedCheckpoint = audit(append(connection(stack, erased), "verify", "--checkpoint",
                    checkpoint.toString()));
            assertThat(erasedCheckpoint.status).as(erasedCheckpoint.out).isEqualTo(1);
            assertThat(erasedCheckpoint.out).contains("checkpoint: ").contains("records were deleted");

            // and an altered copy of an event, appended to the topic itself
            appendAlteredCopy(services, rewriter, approvedId);
            Output afterAlter = audit(append(connection, "verify"));
            assertThat(afterAlter.status).as(afterAlter.out).isEqualTo(1);
            assertThat(afterAlter.out).contains("chain: request " + approvedId).contains("altered after it was written");

            // and a delivery for a request nobody asked for makes it fail, naming the record
            String ghost = writeGhostDelivery(services);
            Output broken = audit(append(connection, "verify"));
            assertThat(broken.status).isEqualTo(1);
            assertThat(broken.out).containsPattern("known-request: request " + ghost + ": 1 event\\(s\\) \\(delivered\\)"
                    + ".*\\[" + java.util.regex.Pattern.quote(prefix) + "lifecycle\\[\\d]@\\d+]")
                    .contains("chain: request " + ghost).contains("known-request=1");
        }
    }

    private static CompletableFuture<TestPeers.ClientResult> ask(Broker broker, String prompt, String host) {
        return ask(broker, prompt, host, "90000");
    }

    private static CompletableFuture<TestPeers.ClientResult> ask(Broker broker, String prompt, String host,
            String clientTimeoutMs) {
        String url = broker.mcpUrl("everything");
        return CompletableFuture.supplyAsync(() -> TestPeers.runClient(List.of("http", url, prompt, "50"),
                Map.of("HOST_ID", host, "CLIENT_TIMEOUT_MS", clientTimeoutMs), Duration.ofSeconds(150)));
    }

    private static ReviewItem awaitPending(SamplingStack services, String host, ReviewStage stage) {
        return services.awaitReview(item -> item.getState() == ReviewState.PENDING && item.getStage() == stage
                && item.getContext().getHostId().equals(host), REVIEW_TIMEOUT);
    }

    private static ReviewCommand command(ReviewItem item, ReviewStage stage, ReviewAction action, String reviewer) {
        return ReviewCommand.newBuilder().setRequestId(item.getContext().getRequestId())
                .setCommandId(UUID.randomUUID().toString()).setStage(stage).setAction(action).setReviewer(reviewer)
                .setSubmittedAt(Instant.now()).build();
    }

    /** Runs {@code timeline --format jsonl} until {@code count} requests have ended, then returns them by host. */
    private static Map<String, JsonNode> awaitTimelines(String[] connection, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, JsonNode> byHost = new HashMap<>();
        while (System.nanoTime() < deadline) {
            Output output = audit(append(connection, "timeline", "--format", "jsonl"));
            assertThat(output.status).as(output.err).isZero();
            byHost.clear();
            List<String> outcomes = new ArrayList<>();
            for (String line : output.out.split("\n")) {
                if (!line.isBlank()) {
                    JsonNode timeline = JSON.readTree(line);
                    byHost.put(timeline.path("host").asText(), timeline);
                    outcomes.add(timeline.path("outcome").asText());
                }
            }
            if (byHost.size() == count && !outcomes.contains("open")) {
                return byHost;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Not every request ended within 30 s: " + byHost.keySet());
    }

    private static List<org.assertj.core.groups.Tuple> steps(JsonNode timeline) {
        List<org.assertj.core.groups.Tuple> steps = new ArrayList<>();
        for (JsonNode event : timeline.path("events")) {
            steps.add(tuple(event.path("type").asText(), event.path("actorKind").asText(), event.path("actor").asText(),
                    event.has("decision") ? event.path("decision").asText() : null));
        }
        return steps;
    }

    private static String[] connection(KafkaStack stack, String prefix) {
        return new String[] {"--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.schemaRegistryUrl(),
            "--topic-prefix", prefix};
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

    /** Appends a copy of the request's decision with one character of its last text changed and its headers kept. */
    private static void appendAlteredCopy(SamplingStack services, HistoryRewriter rewriter, String requestId)
            throws Exception {
        TopicSpec<?> decisions = services.kafka.samplingTopics().decisions();
        ConsumerRecord<String, byte[]> original = rewriter.read(decisions).stream()
                .filter(record -> requestId.equals(record.key())).findFirst().orElseThrow();
        byte[] altered = original.value().clone();
        altered[altered.length - 1] ^= 0x01; // the last character of the last string: still valid Avro
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(services.kafka.producerConfig(),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(decisions.name(), original.partition(), original.key(), altered,
                    original.headers())).get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes a delivery for a request id no SamplingRequested names, as a broken history would have; returns the id. */
    private static String writeGhostDelivery(SamplingStack services) throws Exception {
        TopicSpec<SpecificRecord> lifecycle = services.kafka.samplingTopics().lifecycle();
        Map<String, Object> config = services.kafka.producerConfig();
        Instant now = Instant.now();
        String id = "ghost-" + UUID.randomUUID();
        SamplingContext context = SamplingContext.newBuilder().setRequestId(id).setTraceId("0".repeat(32))
                .setHostId("host-ghost").setServerName("everything").setSessionId("no-session").setJsonRpcId("1")
                .setRequestedAt(now).setDeadline(now.plusSeconds(30))
                .setReplyRoute(ReplyRoute.newBuilder().setBrokerInstanceId("nobody").build()).build();
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config, new StringSerializer(),
                lifecycle.valueSerializer(config, services.kafka.newRegistryClient()))) {
            producer.send(new ProducerRecord<>(lifecycle.name(), id, new SamplingDelivered(context, now, null)))
                    .get(30, TimeUnit.SECONDS);
        }
        return id;
    }

    record Output(int status, String out, String err) {
    }

    static Output audit(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AuditMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] append(String[] connection, String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(List.of(connection));
        return all.toArray(String[]::new);
    }
}
