package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * Human review through the real services: server-everything over stdio asks through the broker, the policy holds
 * the request or its response, and a reviewer's decision (written to review-commands as the console writes it)
 * decides what the server gets back.
 */
@ExtendWith(KafkaStackExtension.class)
class ReviewFlowIT {

    private static final Duration REVIEW_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOLD_ALL = """
            defaultAction: approve
            rules:
              - id: hold-everything
                when: {server: everything}
                action: hold
                reason: Everything server needs a human
            """;

    @Test
    void givenAHeldRequest_whenTheApprovalWorkerRestartsAndAReviewerApproves_thenTheServerGetsTheCompletion(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, HOLD_ALL, null, EndToEndIT.stdioEverything(), 1,
                Duration.ofSeconds(55))) {
            // Given a held request
            CompletableFuture<TestPeers.ClientResult> client = ask(services, "Held across a restart", "40");
            ReviewItem pending = services.awaitReview(item -> item.getState() == ReviewState.PENDING, REVIEW_TIMEOUT);
            assertThat(pending.getHeldBy()).isEqualTo("hold-everything");
            assertThat(pending.getTriggeringToolCall()).isEqualTo("trigger-sampling-request");
            // When the approval-worker restarts with no local state, then a reviewer approves
            services.restartApprovalWorker(dir.resolve("streams-after-restart"));
            services.sendReviewCommand(command(pending, ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));
            // Then
            TestPeers.ClientResult result = client.get(90, TimeUnit.SECONDS);
            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("offline-echo").contains("Held across a restart");
            ReviewItem approved = services.awaitReview(item -> item.getState() == ReviewState.APPROVED, REVIEW_TIMEOUT);
            assertThat(approved.getDecision().getReviewer()).isEqualTo("alice");
        }
    }

    @Test
    void givenAHeldRequest_whenTheReviewerEditsThePrompt_thenTheModelReceivesTheEditedPrompt(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, HOLD_ALL, null, EndToEndIT.stdioEverything(), 1,
                Duration.ofSeconds(55))) {
            // Given
            CompletableFuture<TestPeers.ClientResult> client = ask(services, "Tell me about ACME Corp", "40");
            ReviewItem pending = services.awaitReview(item -> item.getState() == ReviewState.PENDING, REVIEW_TIMEOUT);
            CreateMessageParams edited = CreateMessageParams.newBuilder(pending.getParams()).setMessages(List.of(
                    SamplingMessage.newBuilder(pending.getParams().getMessages().get(0))
                            .setContent(List.of(new TextContent("Tell me about a customer", null, null, null)))
                            .build())).build();
            ReviewCommand edit = command(pending, ReviewStage.REQUEST, ReviewAction.EDIT, "alice");
            edit.setEditedParams(edited);
            edit.setReason("no customer names");
            // When
            services.sendReviewCommand(edit);
            // Then the model saw the edited prompt, and so does the server in the answer
            TestPeers.ClientResult result = client.get(90, TimeUnit.SECONDS);
            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("Tell me about a customer").doesNotContain("ACME");
            SamplingTopics topics = services.kafka.samplingTopics();
            String requestId = pending.getContext().getRequestId();
            List<SamplingDecided> decisions = services.events(topics.decisions(), requestId, 2, REVIEW_TIMEOUT);
            assertThat(decisions.get(1).getDecidedBy().getName()).isEqualTo("alice");
            assertThat(decisions.get(1).getChanges()).isNotEmpty()
                    .anySatisfy(line -> assertThat(line).contains("Tell me about a customer"));
            List<SpecificRecord> completions = services.events(topics.completions(), requestId, 1, REVIEW_TIMEOUT);
            assertThat(((SamplingCompleted) completions.get(0)).getCreateMessageResult().getContent().toString())
                    .contains("Tell me about a customer").doesNotContain("ACME");
        }
    }

    @Test
    void givenAHeldResponse_whenTheReviewerEditsIt_thenTheServerReceivesTheEditedResponse(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        String policy = """
                defaultAction: {action: approve, reviewResponse: true}
                """;
        try (SamplingStack services = SamplingStack.start(stack, dir, policy, null, EndToEndIT.stdioEverything(), 1,
                Duration.ofSeconds(55))) {
            // Given the model answered and the answer waits
            CompletableFuture<TestPeers.ClientResult> client = ask(services, "Draft a reply", "40");
            ReviewItem pending = services.awaitReview(item -> item.getStage() == ReviewStage.RESPONSE
                    && item.getState() == ReviewState.PENDING, REVIEW_TIMEOUT);
            assertThat(pending.getCompletion().getModel()).isEqualTo("offline-echo");
            ReviewCommand edit = command(pending, ReviewStage.RESPONSE, ReviewAction.EDIT, "bob");
            edit.setEditedResult(CreateMessageResult.newBuilder(pending.getCompletion())
                    .setContent(List.of(new TextContent("A reviewed reply.", null, null, null))).build());
            // When
            services.sendReviewCommand(edit);
            // Then
            TestPeers.ClientResult result = client.get(90, TimeUnit.SECONDS);
            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("A reviewed reply.").doesNotContain("Draft a reply");
        }
    }

    @Test
    void givenAHeldRequest_whenItsDeadlinePasses_thenTheServerGetsExpiredAndTheReviewIsExpired(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, HOLD_ALL, null, EndToEndIT.stdioEverything(), 1,
                Duration.ofSeconds(6))) {
            // Given
            CompletableFuture<TestPeers.ClientResult> client = ask(services, "Nobody will look", "10");
            ReviewItem pending = services.awaitReview(item -> item.getState() == ReviewState.PENDING, REVIEW_TIMEOUT);
            // When nobody decides before the deadline
            TestPeers.ClientResult result = client.get(90, TimeUnit.SECONDS);
            // Then
            assertThat(result.output()).contains("-32001");
            ReviewItem expired = services.awaitReview(item -> item.getState() == ReviewState.EXPIRED, REVIEW_TIMEOUT);
            assertThat(expired.getContext().getRequestId()).isEqualTo(pending.getContext().getRequestId());
            assertThat(services.events(services.kafka.samplingTopics().lifecycle(), pending.getContext().getRequestId(),
                    1, REVIEW_TIMEOUT)).first().isInstanceOf(SamplingExpired.class);
        }
    }

    @Test
    void givenAHeldRequest_whenTheServerCancelsIt_thenItLeavesTheQueue(KafkaStack stack, @TempDir Path dir)
            throws Exception {
        // server-everything gives up on its sampling request after 60 s and sends notifications/cancelled
        try (SamplingStack services = SamplingStack.start(stack, dir, HOLD_ALL, null, EndToEndIT.stdioEverything(), 1,
                Duration.ofSeconds(120))) {
            // Given
            CompletableFuture<TestPeers.ClientResult> client = ask(services, "Cancelled while held", "10");
            ReviewItem pending = services.awaitReview(item -> item.getState() == ReviewState.PENDING, REVIEW_TIMEOUT);
            // When
            ReviewItem cancelled = services.awaitReview(item -> item.getState() == ReviewState.CANCELLED,
                    Duration.ofSeconds(100));
            // Then
            assertThat(cancelled.getContext().getRequestId()).isEqualTo(pending.getContext().getRequestId());
            assertThat(services.events(services.kafka.samplingTopics().lifecycle(), pending.getContext().getRequestId(),
                    1, REVIEW_TIMEOUT)).first().isInstanceOf(SamplingCancelled.class);
            client.get(90, TimeUnit.SECONDS);
        }
    }

    @Test
    void givenATaskAugmentedRequest_whenTheReviewerApprovesAfterTheSynchronousDeadline_thenTheServerGetsTheCompletion(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        // The broker's synchronous deadline is 5 s; server-everything's task asks for a 5 min ttl and polls for 60 s.
        try (SamplingStack services = SamplingStack.start(stack, dir, HOLD_ALL, null, EndToEndIT.stdioEverything(), 1,
                Duration.ofSeconds(5))) {
            String url = services.broker().mcpUrl("everything");
            CompletableFuture<TestPeers.ClientResult> client = CompletableFuture.supplyAsync(() -> TestPeers.runHost(
                    "v1-client.mjs", url, "trigger-sampling-request-async",
                    "{\"prompt\":\"Reviewed as a task\",\"maxTokens\":40}", List.of("--sampling", "none"),
                    Map.of("HOST_ID", "vscode-alice"), Duration.ofSeconds(150)));
            ReviewItem pending = services.awaitReview(item -> item.getState() == ReviewState.PENDING, REVIEW_TIMEOUT);
            assertThat(Duration.between(pending.getContext().getRequestedAt(), pending.getContext().getDeadline()))
                    .as("the review window is the task's ttl").isEqualTo(Duration.ofMinutes(5));

            Thread.sleep(8_000); // past the synchronous deadline: only a task can still be answered
            services.sendReviewCommand(command(pending, ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));

            TestPeers.ClientResult result = client.get(120, TimeUnit.SECONDS);
            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("[COMPLETED] Async sampling completed!").contains("offline-echo")
                    .contains("Reviewed as a task");
        }
    }

    private static CompletableFuture<TestPeers.ClientResult> ask(SamplingStack services, String prompt, String maxTokens) {
        String url = services.broker().mcpUrl("everything");
        return CompletableFuture.supplyAsync(() -> TestPeers.runClient(List.of("http", url, prompt, maxTokens),
                Map.of("HOST_ID", "vscode-alice"), Duration.ofSeconds(150)));
    }

    /** A reviewer's command on {@code item}, as the review console writes it. */
    static ReviewCommand command(ReviewItem item, ReviewStage stage, ReviewAction action, String reviewer) {
        return ReviewCommand.newBuilder()
                .setRequestId(item.getContext().getRequestId())
                .setCommandId(UUID.randomUUID().toString())
                .setStage(stage)
                .setAction(action)
                .setReviewer(reviewer)
                .setSubmittedAt(Instant.now())
                .build();
    }
}
