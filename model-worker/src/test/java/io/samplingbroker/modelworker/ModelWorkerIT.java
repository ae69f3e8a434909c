package io.samplingbroker.modelworker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.modelworker.catalogue.CatalogueModel;
import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.catalogue.Ratings;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.testing.McpParams;
import io.samplingbroker.modelworker.testing.SamplingKafka;
import io.samplingbroker.modelworker.testing.WorkerEvents;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.testsupport.ChatCompletionsServer;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/** The worker on a real Kafka broker and a real schema registry, with the offline model or a local provider. */
@ExtendWith(KafkaStackExtension.class)
class ModelWorkerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void givenAnApprovedDecision_whenTheWorkerRuns_thenTheOfflineModelWritesACompletionAndNothingGoesToResults(
            KafkaStack stack) throws Exception {
        try (SamplingKafka kafka = new SamplingKafka(stack); ModelWorker worker = ModelWorker.start(config(kafka))) {
            SamplingDecided decision = WorkerEvents.approved("req-ok", "What is the capital of France?");

            kafka.decide(decision);

            SamplingCompleted completed = (SamplingCompleted) kafka.awaitCompletion("req-ok", WAIT);
            kafka.readFor(Duration.ofSeconds(1));
            assertThat(completed.getContext()).isEqualTo(decision.getContext());
            assertThat(completed.getProvider()).isEqualTo("offline");
            assertThat(completed.getAttempts()).isEqualTo(1);
            assertThat(completed.getCreateMessageResult().getModel()).isEqualTo("offline-echo");
            assertThat(completed.getCreateMessageResult().getStopReason()).isEqualTo("endTurn");
            assertThat(((TextContent) completed.getCreateMessageResult().getContent().get(0)).getText())
                    .isEqualTo("[offline-echo] received 1 message(s); last user text: What is the capital of France?");
            assertThat(kafka.completionsOf("req-ok")).hasSize(1);
            assertThat(headerKeys(kafka.completionHeadersOf("req-ok").get(0)))
                    .containsExactly(EventChain.PREVIOUS, "traceparent", EventChain.HASH);
            assertThat(kafka.results()).as("the worker writes nothing to results").isEmpty();
            assertThat(worker.isRunning()).isTrue();
        }
    }

    @Test
    void givenDecisionsThatAreNotPlainApprovals_whenTheWorkerRuns_thenEachGetsWhatItsDecisionAsks(KafkaStack stack)
            throws Exception {
        try (SamplingKafka kafka = new SamplingKafka(stack); ModelWorker worker = ModelWorker.start(config(kafka))) {
            kafka.decide(WorkerEvents.decided("req-denied", Decision.DENIED, null, Instant.now().plusSeconds(60)));
            kafka.decide(WorkerEvents.decided("req-expired", Decision.APPROVED, McpParams.text("too late", 50),
                    Instant.now().minusSeconds(1)));
            SamplingDecided review = SamplingDecided.newBuilder(WorkerEvents.approved("req-review", "hold my answer"))
                    .setDecision(Decision.AMENDED).setReviewResponse(true).build();
            // the approval-worker routes the answer to review through the reply route, which the worker copies
            review.getContext().setReplyRoute(ReplyRoute.newBuilder(review.getContext().getReplyRoute())
                    .setReplyTopic(kafka.topics().reviews().name()).build());
            kafka.decide(review);
            kafka.decide(SamplingDecided.newBuilder(WorkerEvents.approved("req-forced", "use o3"))
                    .setForcedModel("o3-pro").build());

            SpecificRecord reviewed = kafka.awaitCompletion("req-review", WAIT);
            SpecificRecord noModel = kafka.awaitCompletion("req-forced", WAIT);
            kafka.readFor(Duration.ofSeconds(2));

            SamplingCompleted answered = (SamplingCompleted) reviewed;
            assertThat(answered.getContext()).as("copied unchanged, reply route included").isEqualTo(review.getContext());
            assertThat(answered.getCreateMessageResult())
                    .isEqualTo(OfflineEchoModel.answer(review.getEffectiveParams()).result());
            assertThat(answered.getProvider()).isEqualTo("offline");
            assertThat(kafka.completionsOf("req-review")).hasSize(1);
            assertThat(headerKeys(kafka.completionHeadersOf("req-review").get(0))).as("the chain and the trace, no review mark")
                    .containsExactly(EventChain.PREVIOUS, "traceparent", EventChain.HASH);
            SamplingFailed failed = (SamplingFailed) noModel;
            assertThat(failed.getStage()).isEqualTo("model-worker");
            assertThat(failed.getErrorCode()).isEqualTo("NO_MODEL_MATCHES");
            assertThat(failed.getMessage()).contains("o3-pro");
            assertThat(failed.getRetryable()).isFalse();
            assertThat(failed.getAttempts()).isZero();
            assertThat(kafka.completionsOf("req-forced")).hasSize(1);
            assertThat(kafka.completionsOf("req-denied")).isEmpty();
            assertThat(kafka.completionsOf("req-expired")).isEmpty();
            assertThat(kafka.results()).as("the worker writes nothing to results").isEmpty();
            assertThat(worker.isRunning()).isTrue();
        }
    }

    @Test
    void givenAProviderAnswering401_whenADecisionArrives_thenOnlyAFailedCompletionIsWritten(
            KafkaStack stack) throws Exception {
        try (ChatCompletionsServer server = ChatCompletionsServer.start();
                SamplingKafka kafka = new SamplingKafka(stack);
                ModelWorker worker = ModelWorker.start(config(kafka).withCatalogue(localProvider(server)))) {
            server.replyByDefault(ChatCompletionsServer.unauthorized());

            kafka.decide(WorkerEvents.approved("req-401", "Hello"));

            SamplingFailed failed = (SamplingFailed) kafka.awaitCompletion("req-401", WAIT);
            kafka.readFor(Duration.ofSeconds(1));
            assertThat(failed.getStage()).isEqualTo("model-worker");
            assertThat(failed.getErrorCode()).isEqualTo("PROVIDER_UNAUTHORIZED");
            assertThat(failed.getProvider()).isEqualTo("local");
            assertThat(failed.getProviderStatus()).isEqualTo(401);
            assertThat(failed.getRetryable()).isFalse();
            assertThat(failed.getMessage()).isNotBlank().doesNotContain("sk-").doesNotContain("Hello");
            assertThat(failed.getAttempts()).isEqualTo(1);
            assertThat(kafka.completionsOf("req-401")).hasSize(1);
            assertThat(kafka.results()).as("the worker writes nothing to results").isEmpty();
            assertThat(server.requestCount()).isEqualTo(1);
            assertThat(worker.isRunning()).isTrue();
        }
    }

    @Test
    void givenACancelledRequest_whenItsDecisionArrives_thenTheProviderIsNeverCalledAndNothingIsWritten(
            KafkaStack stack) throws Exception {
        try (ChatCompletionsServer server = ChatCompletionsServer.start();
                SamplingKafka kafka = new SamplingKafka(stack)) {
            kafka.cancel(WorkerEvents.cancelled("req-cancelled"));
            kafka.decide(WorkerEvents.approved("req-cancelled", "never mind"));
            try (ModelWorker worker = ModelWorker.start(config(kafka).withCatalogue(localProvider(server)))) {
                kafka.decide(WorkerEvents.approved("req-after", "still here"));

                kafka.awaitCompletion("req-after", WAIT);
                kafka.readFor(Duration.ofSeconds(1));

                assertThat(server.requestCount()).as("only req-after reached the provider").isEqualTo(1);
                assertThat(kafka.completionsOf("req-cancelled")).isEmpty();
                assertThat(kafka.results()).isEmpty();
                assertThat(worker.isRunning()).isTrue();
            }
        }
    }

    @Test
    void givenACallInFlight_whenTheRequestIsCancelled_thenNothingIsWrittenForIt(KafkaStack stack) throws Exception {
        try (ChatCompletionsServer server = ChatCompletionsServer.start();
                SamplingKafka kafka = new SamplingKafka(stack);
                ModelWorker worker = ModelWorker.start(config(kafka).withCatalogue(localProvider(server)))) {
            server.reply(ChatCompletionsServer.completion("gpt-4o-mini", "too slow", "stop").after(Duration.ofSeconds(3)));
            kafka.decide(WorkerEvents.approved("req-slow", "take your time"));
            long sent = System.nanoTime();
            while (server.requestCount() == 0 && System.nanoTime() - sent < WAIT.toNanos()) {
                Thread.sleep(20);
            }

            kafka.cancel(WorkerEvents.cancelled("req-slow"));
            kafka.decide(WorkerEvents.approved("req-next", "next one"));

            kafka.awaitCompletion("req-next", WAIT);
            kafka.readFor(Duration.ofMillis(Math.max(500, 4000 - (System.nanoTime() - sent) / 1_000_000)));
            assertThat(kafka.completionsOf("req-slow")).as("past the slow reply's 3 s").isEmpty();
            assertThat(kafka.results()).isEmpty();
            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(worker.isRunning()).isTrue();
        }
    }

    @Test
    void givenACompletionAlreadyRecorded_whenARestartedWorkerReadsItsDecisionAgain_thenTheProviderIsNotCalledAgain(
            KafkaStack stack) throws Exception {
        try (ChatCompletionsServer server = ChatCompletionsServer.start();
                SamplingKafka kafka = new SamplingKafka(stack)) {
            ModelWorkerConfig config = config(kafka).withCatalogue(localProvider(server));
            SamplingDecided first = WorkerEvents.approved("req-once", "answer me once");
            try (ModelWorker worker = ModelWorker.start(config)) {
                kafka.decide(first);
                kafka.awaitCompletion("req-once", WAIT);
                assertThat(worker.isRunning()).isTrue();
            }
            assertThat(server.requestCount()).isEqualTo(1);
            // As if the worker had crashed before committing: the group's offsets go back to the start, and the
            // approval-worker sends the same decision again.
            rewindGroup(stack, config, kafka);
            kafka.decide(first);

            try (ModelWorker restarted = ModelWorker.start(config)) {
                kafka.decide(WorkerEvents.approved("req-new", "a new one"));
                kafka.awaitCompletion("req-new", WAIT);
                kafka.readFor(Duration.ofSeconds(1));
                assertThat(restarted.isRunning()).isTrue();
            }

            assertThat(server.requestCount()).as("req-once once, req-new once").isEqualTo(2);
            assertThat(kafka.completionsOf("req-once")).hasSize(1);
            assertThat(kafka.completionsOf("req-new")).hasSize(1);
            assertThat(kafka.results()).isEmpty();
        }
    }

    private static List<String> headerKeys(Headers headers) {
        return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
    }

    private static ModelWorkerConfig config(SamplingKafka kafka) {
        return ModelWorkerConfig.defaults(kafka.settings())
                .withGroupId(KafkaStack.uniqueName("model-worker"))
                .withDrainTimeout(Duration.ofSeconds(5));
    }

    private static ModelCatalogue localProvider(ChatCompletionsServer server) {
        return ModelCatalogue.offlineOnly()
                .with(ProviderSettings.openAiCompatible("local", server.baseUrl(), "sk-test-key")
                                .withTimeout(Duration.ofSeconds(20)).withMaxRetries(0),
                        new CatalogueModel("gpt-4o-mini", "local", "gpt-4o-mini", new Ratings(0.9, 0.8, 0.6)))
                .withDefaultModel("gpt-4o-mini");
    }

    private static void rewindGroup(KafkaStack stack, ModelWorkerConfig config, SamplingKafka kafka) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        for (int p = 0; p < kafka.topics().decisions().partitions(); p++) {
            start.put(new TopicPartition(kafka.topics().decisions().name(), p), new OffsetAndMetadata(0));
        }
        try (Admin admin = Admin.create(stack.clientConfig())) {
            admin.alterConsumerGroupOffsets(config.groupId(), start).all().get();
            assertThat(admin.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata().get().values())
                    .allSatisfy(offset -> assertThat(offset.offset()).isZero());
        }
    }
}
