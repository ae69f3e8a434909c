package io.samplingbroker.modelworker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.modelworker.catalogue.CatalogueModel;
import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.catalogue.Ratings;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.modelworker.provider.ProviderCallRunner;
import io.samplingbroker.modelworker.provider.ProviderPool;
import io.samplingbroker.modelworker.provider.RetryPolicy;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.testing.McpParams;
import io.samplingbroker.modelworker.testing.WorkerEvents;
import io.samplingbroker.schemas.testing.PlainAvroSerde;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.kafka.DeadLetters;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.tracing.ServiceTracing;
import io.samplingbroker.testsupport.ChatCompletionsServer;

/**
 * The poll loop with Kafka's mock clients and no registry: decisions, lifecycle and completions are
 * {@link MockTopicConsumer}s (the group assignment comes from {@code MockConsumer.rebalance}, on the poll thread),
 * outcomes go to a {@link MockProducer}, and the model is the offline one (or, where a call must stay in flight, the
 * local Chat Completions server). The loop runs on its own thread, as in the worker.
 */
class DecisionLoopTest {

    private static final WorkerLimits LIMITS = new WorkerLimits(4, Duration.ofSeconds(5), Duration.ofMinutes(15),
            Duration.ofSeconds(5));
    /** Several commit intervals (200 ms): long enough for a commit that should not happen to have happened. */
    private static final long SEVERAL_COMMIT_INTERVALS = 3 * Commits.INTERVAL_MILLIS;

    private final SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults());
    private final int partitions = topics.decisions().partitions();
    private final MockTopicConsumer<byte[]> decisions = new MockTopicConsumer<>(topics.decisions().name(), partitions);
    private final MockTopicConsumer<SpecificRecord> lifecycle = new MockTopicConsumer<>(topics.lifecycle().name(),
            partitions);
    private final MockTopicConsumer<byte[]> completionsLog = new MockTopicConsumer<>(topics.completions().name(),
            partitions);
    private final TopicPartition p0 = decisions.partition(0);

    private final Serializer<SamplingDecided> decisionWriter = PlainAvroSerde.stampingSerializerOf(SamplingDecided.getClassSchema());
    private final Serializer<SpecificRecord> completionWriter = PlainAvroSerde.stampingSerializerOf(SamplingTopics.COMPLETIONS_SCHEMA);
    private final Deserializer<SpecificRecord> completionReader = PlainAvroSerde.deserializerOf(SamplingTopics.COMPLETIONS_SCHEMA);

    private final ScheduledExecutorService writerTimer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService outcomes = Executors.newFixedThreadPool(2);
    private final CallTimers callTimers = new CallTimers();
    private final AtomicReference<Throwable> loopFailure = new AtomicReference<>();
    private final ServiceMetrics metrics = ServiceMetrics.create(Service.MODEL_WORKER);
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final ServiceTracing tracing = ServiceTracing.exportingTo(Service.MODEL_WORKER, spans);

    private MockProducer<String, byte[]> producer;
    private OutcomeWriter writer;
    private ProviderPool providers;
    private DecisionLoop loop;
    private Thread pollThread;
    private ChatCompletionsServer server;

    @AfterEach
    void tearDown() throws InterruptedException {
        try {
            if (loop != null) {
                loop.stop();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (pollThread.isAlive() && System.nanoTime() < deadline) {
                    while (producer.completeNext()) {
                        // a test that holds acknowledgements back lets the shutdown drain finish
                    }
                    pollThread.join(20);
                }
                assertThat(pollThread.isAlive()).as("the poll loop stopped").isFalse();
                assertThat(loopFailure.get()).as("the poll loop's failure").isNull();
            }
        } finally {
            if (writer != null) {
                writer.close();
            }
            if (providers != null) {
                providers.close();
            }
            if (server != null) {
                server.close();
            }
            writerTimer.shutdownNow();
            outcomes.shutdownNow();
            callTimers.shutdownNow();
            metrics.close();
            tracing.close();
        }
    }

    @Test
    void givenAnApprovedDecision_whenPolled_thenTheModelIsCalledOnceAndOnlyItsCompletionIsWrittenFollowingTheDecision() {
        start(true, ModelCatalogue.offlineOnly());
        SamplingDecided decision = WorkerEvents.approved("req-1", "Hello there");

        ConsumerRecord<String, byte[]> record = decide(decision);

        Await.until("the offset passes the decision", () -> decisions.lastCommitted(p0) == 1);
        assertThat(callTimers.started()).as("provider calls started").isEqualTo(1);
        ProducerRecord<String, byte[]> completion = single(sentTo(topics.completions().name()));
        assertThat(completion.key()).isEqualTo("req-1");
        SamplingCompleted completed = (SamplingCompleted) completionReader.deserialize(completion.topic(),
                completion.value());
        assertThat(completed.getContext()).isEqualTo(decision.getContext());
        assertThat(completed.getProvider()).isEqualTo(ModelCatalogue.OFFLINE_PROVIDER);
        assertThat(completed.getAttempts()).isEqualTo(1);
        assertThat(completed.getCreateMessageResult())
                .isEqualTo(OfflineEchoModel.answer(decision.getEffectiveParams()).result());
        assertThat(EventChain.previousOf(completion.headers())).isEqualTo(EventChain.hashOf(record.headers()));
        assertThat(EventChain.hashOf(completion.headers()))
                .isEqualTo(EventChain.hash(EventChain.hashOf(record.headers()), completion.value()));
        assertThat(headerKeys(completion.headers())).as("the decision had no trace context: the request's trace id,"
                + " unsampled").containsExactly(EventChain.PREVIOUS, "traceparent", EventChain.HASH);
        assertThat(text(completion, "traceparent")).startsWith("00-" + decision.getContext().getTraceId() + "-")
                .endsWith("-00");
        assertThat(spans.getFinishedSpanItems()).as("nothing recorded for an unsampled trace").isEmpty();
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(1);
        Timer calls = metrics.registry().get(ModelMetrics.PROVIDER_CALLS).tags("provider",
                ModelCatalogue.OFFLINE_PROVIDER, "status", "ok", "http_status", "200").timer();
        assertThat(calls.count()).isEqualTo(1);
        assertThat(metrics.registry().get(ModelMetrics.TOKENS).tags("direction", "output", "host",
                decision.getContext().getHostId()).counter().count()).isPositive();
        assertThat(metrics.registry().get(ServiceMetrics.STAGE_DURATION).tag("stage", "completion").timer().count())
                .isEqualTo(1);
    }

    @Test
    void givenADecisionWrittenUnderASampledSpan_whenAnswered_thenCompleteAndChatSpansFollowItAndTheCompletionIsWrittenUnderComplete() {
        start(true, ModelCatalogue.offlineOnly());
        SamplingDecided decision = WorkerEvents.approved("req-1", "Hello there");
        String trace = decision.getContext().getTraceId();
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + trace + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));

        decide(decision, headers);

        Await.until("both spans end", () -> spans.getFinishedSpanItems().size() == 2);
        SpanData complete = spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(
                "sampling complete")).findFirst().orElseThrow();
        SpanData chat = spans.getFinishedSpanItems().stream().filter(span -> span.getKind() == SpanKind.CLIENT)
                .findFirst().orElseThrow();
        assertThat(complete.getTraceId()).isEqualTo(trace);
        assertThat(complete.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(chat.getName()).isEqualTo("chat offline-echo");
        assertThat(chat.getParentSpanId()).isEqualTo(complete.getSpanId());
        assertThat(chat.getAttributes().asMap()).extractingFromEntries(entry -> entry.getKey().getKey() + "="
                + entry.getValue()).contains("gen_ai.operation.name=chat", "gen_ai.provider.name="
                + ModelCatalogue.OFFLINE_PROVIDER, "sampling.provider.attempts=1");
        assertThat(chat.getAttributes().asMap().keySet()).extracting(key -> key.getKey())
                .contains("gen_ai.usage.output_tokens", "gen_ai.response.model");
        ProducerRecord<String, byte[]> completion = single(sentTo(topics.completions().name()));
        assertThat(text(completion, "traceparent")).isEqualTo("00-" + trace + "-" + complete.getSpanId() + "-01");
    }

    @Test
    void givenTheSameDecisionTwice_whenPolled_thenTheModelIsCalledOnceAndBothOffsetsAreCommitted() {
        start(true, ModelCatalogue.offlineOnly());
        SamplingDecided decision = WorkerEvents.approved("req-dup", "Hello twice");

        decide(decision);
        decide(decision);

        Await.until("the offset passes both decisions", () -> decisions.lastCommitted(p0) == 2);
        assertThat(callTimers.started()).isEqualTo(1);
        assertThat(sentTo(topics.completions().name())).hasSize(1);
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givenARequestCancelledBeforeTheTakeOver_whenItsDecisionIsPolled_thenTheModelIsNotCalledAndNothingIsWritten() {
        lifecycle.append(0, "req-gone", WorkerEvents.cancelled("req-gone"), null);
        start(true, ModelCatalogue.offlineOnly());

        decide(WorkerEvents.approved("req-gone", "Never mind"));

        Await.until("the offset passes the decision", () -> decisions.lastCommitted(p0) == 1);
        assertThat(callTimers.started()).isZero();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void givenARequestExpiredAfterTheTakeOver_whenItsDecisionIsPolled_thenTheModelIsNotCalledAndNothingIsWritten()
            throws InterruptedException {
        start(true, ModelCatalogue.offlineOnly());
        awaitNextPoll(); // the take-over (history read, lifecycle followed) is over
        SamplingExpired expired = new SamplingExpired(WorkerEvents.context("req-late", Instant.now().plusSeconds(60)),
                Instant.now(), "approval");

        lifecycle.append(0, "req-late", expired, null);
        decide(WorkerEvents.approved("req-late", "Too late"));

        Await.until("the offset passes the decision", () -> decisions.lastCommitted(p0) == 1);
        assertThat(callTimers.started()).isZero();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void givenAnOutcomeAlreadyOnCompletions_whenThePartitionIsTakenOver_thenThatDecisionIsNotCalledAgainButOthersAre() {
        SamplingDecided done = WorkerEvents.approved("req-done", "Answered before a restart");
        SamplingCompleted recorded = OutcomeEvents.completed(done.getContext(), new CallOutcome.Answered(
                OfflineEchoModel.answer(done.getEffectiveParams()), "offline", "offline-echo", List.of(), 2),
                Instant.now());
        RecordHeaders headers = new RecordHeaders();
        completionsLog.append(0, "req-done",
                completionWriter.serialize(topics.completions().name(), headers, recorded), headers);
        start(true, ModelCatalogue.offlineOnly());

        decide(done); // re-read after a crash between "outcome written" and "offset committed"
        decide(WorkerEvents.approved("req-new", "A new one"));

        Await.until("the offset passes both decisions", () -> decisions.lastCommitted(p0) == 2);
        assertThat(callTimers.started()).isEqualTo(1);
        assertThat(sentTo(topics.completions().name())).extracting(ProducerRecord::key).containsExactly("req-new");
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givenUnreadableDecisions_whenPolled_thenTheyGoToDeadLettersAndTheNextDecisionIsStillAnswered() {
        start(true, ModelCatalogue.offlineOnly());
        RecordHeaders garbageHeaders = new RecordHeaders();
        garbageHeaders.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                .getBytes(StandardCharsets.UTF_8));
        byte[] garbage = new byte[0];

        decisions.append(0, "req-bad", garbage, garbageHeaders);
        decisions.append(0, "req-empty", null, new RecordHeaders());
        decide(WorkerEvents.approved("req-ok", "Still here"));

        Await.until("the offset passes all three records", () -> decisions.lastCommitted(p0) == 3);
        List<ProducerRecord<String, byte[]>> dead = sentTo(topics.deadLetters().name());
        assertThat(dead).extracting(ProducerRecord::key).containsExactly("req-bad", "req-empty");
        ProducerRecord<String, byte[]> bad = dead.get(0);
        assertThat(bad.value()).isEqualTo(garbage);
        assertThat(bad.headers().lastHeader("traceparent").value())
                .isEqualTo(garbageHeaders.lastHeader("traceparent").value());
        assertThat(text(bad, DeadLetters.SOURCE_TOPIC)).isEqualTo(topics.decisions().name());
        assertThat(text(bad, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(text(bad, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(text(bad, DeadLetters.SERVICE)).isEqualTo("model-worker");
        assertThat(text(bad, DeadLetters.REASON)).isNotBlank();
        assertThat(dead.get(1).value()).isNull();
        assertThat(text(dead.get(1), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(text(dead.get(1), DeadLetters.REASON)).isEqualTo("a decision record without a value");
        assertThat(sentTo(topics.completions().name())).extracting(ProducerRecord::key).containsExactly("req-ok");
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(3);
    }

    @Test
    void givenDeniedHeldAndExpiredDecisions_whenPolled_thenNothingStartsAndTheirOffsetsAreCommitted() {
        start(true, ModelCatalogue.offlineOnly());

        decide(WorkerEvents.decided("req-denied", Decision.DENIED, null, Instant.now().plusSeconds(60)));
        decide(WorkerEvents.decided("req-held", Decision.HELD_FOR_REVIEW, McpParams.text("Hold me", 100),
                Instant.now().plusSeconds(60)));
        decide(WorkerEvents.decided("req-past", Decision.APPROVED, McpParams.text("Too old", 100),
                Instant.now().minusSeconds(1)));

        Await.until("the offset passes the three decisions", () -> decisions.lastCommitted(p0) == 3);
        assertThat(callTimers.started()).isZero();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void givenADecisionAskingForResponseReview_whenAnswered_thenItGetsTheSameCompletionAsAnyOtherWithNoReviewMarkAndNothingOnResults() {
        start(true, ModelCatalogue.offlineOnly());
        SamplingDecided plain = WorkerEvents.approved("req-plain", "Check my answer");
        SamplingDecided review = WorkerEvents.approved("req-review", "Check my answer");
        review.setReviewResponse(true);
        // the approval-worker routes the answer to review through the reply route; the worker copies it unchanged
        review.getContext().setReplyRoute(ReplyRoute.newBuilder(review.getContext().getReplyRoute())
                .setReplyTopic(topics.reviews().name()).build());

        ConsumerRecord<String, byte[]> plainRecord = decide(plain);
        ConsumerRecord<String, byte[]> reviewRecord = decide(review);

        Await.until("the offset passes both decisions", () -> decisions.lastCommitted(p0) == 2);
        assertThat(callTimers.started()).isEqualTo(2);
        List<ProducerRecord<String, byte[]>> written = sentTo(topics.completions().name());
        assertThat(written).extracting(ProducerRecord::key).containsExactlyInAnyOrder("req-plain", "req-review");
        ProducerRecord<String, byte[]> plainCompletion = keyed(written, "req-plain");
        ProducerRecord<String, byte[]> reviewCompletion = keyed(written, "req-review");
        SamplingCompleted plainCompleted = (SamplingCompleted) completionReader.deserialize(plainCompletion.topic(),
                plainCompletion.value());
        SamplingCompleted reviewCompleted = (SamplingCompleted) completionReader.deserialize(reviewCompletion.topic(),
                reviewCompletion.value());
        assertThat(reviewCompleted.getContext()).isEqualTo(review.getContext());
        assertThat(reviewCompleted.getContext().getReplyRoute().getReplyTopic()).isEqualTo(topics.reviews().name());
        assertThat(reviewCompleted.getCreateMessageResult())
                .isEqualTo(OfflineEchoModel.answer(review.getEffectiveParams()).result())
                .isEqualTo(plainCompleted.getCreateMessageResult());
        assertThat(reviewCompleted.getProvider()).isEqualTo(plainCompleted.getProvider());
        assertThat(reviewCompleted.getAttempts()).isEqualTo(plainCompleted.getAttempts());
        assertThat(reviewCompleted.getUsage()).isEqualTo(plainCompleted.getUsage());
        assertThat(headerKeys(reviewCompletion.headers())).as("only the chain and trace headers: no review mark")
                .containsExactly(EventChain.PREVIOUS, "traceparent", EventChain.HASH)
                .isEqualTo(headerKeys(plainCompletion.headers()));
        assertThat(EventChain.previousOf(reviewCompletion.headers())).isEqualTo(EventChain.hashOf(reviewRecord.headers()));
        assertThat(EventChain.previousOf(plainCompletion.headers())).isEqualTo(EventChain.hashOf(plainRecord.headers()));
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(2);
    }

    @Test
    void givenAnOutcomeNotYetAcknowledged_whenTheLoopCommits_thenTheOffsetStaysAtTheDecisionUntilTheCompletionIsAcknowledged() {
        start(false, ModelCatalogue.offlineOnly());

        decide(WorkerEvents.approved("req-slow-ack", "Wait for Kafka"));
        Await.until("the completion is sent", () -> producer.history().size() == 1);
        Await.pause(SEVERAL_COMMIT_INTERVALS);
        assertThat(decisions.lastCommitted(p0)).as("committed while the completion is not acknowledged")
                .isLessThanOrEqualTo(0);
        assertThat(sentTo(topics.completions().name())).extracting(ProducerRecord::key).containsExactly("req-slow-ack");
        assertThat(producer.history()).as("nothing but the completion").hasSize(1);

        assertThat(producer.completeNext()).isTrue(); // the completion
        Await.until("the offset passes the decision", () -> decisions.lastCommitted(p0) == 1);
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givenAnOutcomeBeingWritten_whenThePartitionIsRevoked_thenTheHandOverWaitsForItAndCommitsPastIt()
            throws InterruptedException {
        start(false, ModelCatalogue.offlineOnly());
        decide(WorkerEvents.approved("req-handover", "Moving on"));
        Await.until("the completion is sent", () -> producer.history().size() == 1);
        CountDownLatch revoking = new CountDownLatch(1);

        decisions.schedulePollTask(() -> {
            revoking.countDown();
            decisions.rebalance(List.of());
        });
        assertThat(revoking.await(10, TimeUnit.SECONDS)).isTrue();
        Await.pause(100); // the poll thread is in onPartitionsRevoked, waiting for the job
        assertThat(decisions.lastCommitted(p0)).isLessThanOrEqualTo(0);
        assertThat(producer.completeNext()).isTrue();

        Await.until("the hand-over commits past the decision", () -> decisions.lastCommitted(p0) == 1);
        Await.until("the partition is let go", () -> decisions.assignment().isEmpty());
        assertThat(sentTo(topics.completions().name())).hasSize(1);
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givenAProviderCallInFlight_whenTheRequestIsCancelled_thenTheCallIsAbortedNothingIsWrittenAndTheOffsetMoves() {
        server = ChatCompletionsServer.start().replyByDefault(
                ChatCompletionsServer.completion("gpt-4o-mini", "Too late.", "stop").after(Duration.ofSeconds(30)));
        ModelCatalogue catalogue = ModelCatalogue.offlineOnly()
                .with(ProviderSettings.openAiCompatible("local", server.baseUrl(), null).withMaxRetries(0),
                        new CatalogueModel("local-model", "local", "gpt-4o-mini", new Ratings(0.5, 0.5, 0.5)))
                .withDefaultModel("local-model");
        start(true, catalogue);

        decide(WorkerEvents.approved("req-cancel", "Take your time"));
        Await.until("the provider is called", () -> server.requestCount() == 1);
        lifecycle.append(0, "req-cancel", WorkerEvents.cancelled("req-cancel"), null);

        Await.until("the offset passes the cancelled decision", () -> decisions.lastCommitted(p0) == 1);
        assertThat(producer.history()).isEmpty();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    /** Wires the loop as {@code WorkerRuntime} does, starts it, and has the group assign it decisions partition 0. */
    private void start(boolean acknowledgeAtOnce, ModelCatalogue catalogue) {
        Clock clock = Clock.systemUTC();
        producer = new MockProducer<>(acknowledgeAtOnce, null, new StringSerializer(), new ByteArraySerializer());
        writer = new OutcomeWriter(producer, topics, completionWriter, writerTimer, outcomes,
                new DeadLetterMeter(metrics));
        providers = new ProviderPool(catalogue, clock, (provider, state) -> { });
        JobLauncher launcher = new JobLauncher(catalogue, providers,
                new ProviderCallRunner(callTimers, clock, RetryPolicy.standard()), writer, outcomes, clock,
                new ModelMetrics(metrics), tracing.tracer());
        loop = new DecisionLoop(decisions, topics.decisions().name(),
                PlainAvroSerde.deserializerOf(SamplingDecided.getClassSchema()),
                new LifecycleFollower(lifecycle, topics.lifecycle().name(), LIMITS.catchUpTimeout()),
                new HistoryScan(completionsLog, completionReader, topics.completions().name(), LIMITS.catchUpTimeout()),
                launcher, writer, LIMITS, clock);
        pollThread = new Thread(loop, "decision-loop-test-poll");
        pollThread.setUncaughtExceptionHandler((thread, error) -> loopFailure.set(error));
        pollThread.start();
        decisions.rebalanceOnNextPoll(List.of(p0));
    }

    /** Appends a decision as the approval-worker writes it (its chain hash stamped into the headers). */
    private ConsumerRecord<String, byte[]> decide(SamplingDecided decision) {
        return decide(decision, new RecordHeaders());
    }

    /** As above, with these headers too (its trace context). */
    private ConsumerRecord<String, byte[]> decide(SamplingDecided decision, RecordHeaders headers) {
        byte[] value = decisionWriter.serialize(topics.decisions().name(), headers, decision);
        return decisions.append(0, decision.getContext().getRequestId(), value, headers);
    }

    /** Returns once the poll loop has finished every poll task scheduled before (they run one per poll). */
    private void awaitNextPoll() throws InterruptedException {
        CountDownLatch polled = new CountDownLatch(1);
        decisions.schedulePollTask(polled::countDown);
        assertThat(polled.await(10, TimeUnit.SECONDS)).as("the loop polled").isTrue();
    }

    private List<ProducerRecord<String, byte[]>> sentTo(String topic) {
        return producer.history().stream().filter(record -> record.topic().equals(topic)).toList();
    }

    private static ProducerRecord<String, byte[]> keyed(List<ProducerRecord<String, byte[]>> records, String key) {
        return single(records.stream().filter(record -> key.equals(record.key())).toList());
    }

    private static List<String> headerKeys(Headers headers) {
        return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
    }

    private static <T> T single(List<T> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static String text(ProducerRecord<String, byte[]> record, String header) {
        return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
    }

    /**
     * The provider-call runner's scheduler. Every provider call arms exactly one deadline timer when it starts
     * ({@code RunningCall.begin}), and the offline model never fails, so never schedules a retry: the number of
     * timers armed is the number of provider calls started.
     */
    private static final class CallTimers extends ScheduledThreadPoolExecutor {

        private final AtomicInteger started = new AtomicInteger();

        CallTimers() {
            super(1, runnable -> {
                Thread thread = new Thread(runnable, "decision-loop-test-timer");
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            started.incrementAndGet();
            return super.schedule(command, delay, unit);
        }

        int started() {
            return started.get();
        }
    }
}
