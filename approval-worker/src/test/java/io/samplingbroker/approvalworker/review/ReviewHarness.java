package io.samplingbroker.approvalworker.review;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.samplingbroker.approvalworker.testing.StreamsTestState;
import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.testing.MutableClock;
import io.samplingbroker.schemas.testing.PlainAvroSerde;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.ReviewMark;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.tracing.ServiceTracing;

/** The review topology in a {@code TopologyTestDriver}, with a hand-moved clock (wall-clock punctuation included). */
final class ReviewHarness implements AutoCloseable {

    static final SamplingTopics TOPICS = new SamplingTopics(TopicsConfig.defaults());

    final MutableClock clock = new MutableClock(Requests.T0.plusMillis(10));
    /** What the topology recorded. */
    final ServiceMetrics metrics = ServiceMetrics.create(Service.APPROVAL_WORKER);
    /** The spans it ended. */
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final ServiceTracing tracing = ServiceTracing.exportingTo(Service.APPROVAL_WORKER, spans);
    /** The span the events piped in were written under, as their {@code traceparent} header; null for none. */
    String upstreamTraceParent;
    private final StreamsTestState state;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SamplingDecided> decisionsIn;
    private final TestInputTopic<String, SpecificRecord> completionsIn;
    private final TestInputTopic<String, SpecificRecord> lifecycleIn;
    private final TestInputTopic<String, ReviewCommand> commandsIn;
    private final TestOutputTopic<String, ReviewItem> reviews;
    private final TestOutputTopic<String, SamplingDecided> decisions;
    private final TestOutputTopic<String, SamplingResolved> results;
    private final TestOutputTopic<String, SpecificRecord> lifecycle;

    ReviewHarness() {
        PlainAvroSerde<SamplingDecided> decided = new PlainAvroSerde<>(SamplingDecided.getClassSchema());
        PlainAvroSerde<SpecificRecord> completions = new PlainAvroSerde<>(SamplingTopics.COMPLETIONS_SCHEMA);
        PlainAvroSerde<SpecificRecord> lifecycleSerde = new PlainAvroSerde<>(SamplingTopics.LIFECYCLE_SCHEMA);
        PlainAvroSerde<ReviewCommand> commands = new PlainAvroSerde<>(ReviewCommand.getClassSchema());
        PlainAvroSerde<ReviewItem> items = new PlainAvroSerde<>(ReviewItem.getClassSchema());
        PlainAvroSerde<SamplingResolved> resolved = new PlainAvroSerde<>(SamplingResolved.getClassSchema());
        state = new StreamsTestState("review");
        Properties properties = state.properties("review-topology-test");
        driver = new TopologyTestDriver(ReviewTopology.build(TOPICS,
                new ReviewSerdes(decided, completions, lifecycleSerde, commands, items, items, resolved), clock,
                new ReviewQueueMetrics(metrics, clock), tracing.tracer()),
                properties, clock.instant());
        var keys = Serdes.String();
        decisionsIn = driver.createInputTopic(TOPICS.decisions().name(), keys.serializer(), decided.serializer());
        completionsIn = driver.createInputTopic(TOPICS.completions().name(), keys.serializer(), completions.serializer());
        lifecycleIn = driver.createInputTopic(TOPICS.lifecycle().name(), keys.serializer(), lifecycleSerde.serializer());
        commandsIn = driver.createInputTopic(TOPICS.reviewCommands().name(), keys.serializer(), commands.serializer());
        reviews = driver.createOutputTopic(TOPICS.reviews().name(), keys.deserializer(), items.deserializer());
        decisions = driver.createOutputTopic(TOPICS.decisions().name(), keys.deserializer(), decided.deserializer());
        results = driver.createOutputTopic(TOPICS.results().name(), keys.deserializer(), resolved.deserializer());
        lifecycle = driver.createOutputTopic(TOPICS.lifecycle().name(), keys.deserializer(),
                lifecycleSerde.deserializer());
    }

    /** A rule held the request (as the decision topology writes it, with the review mark unless told otherwise). */
    SamplingDecided hold(SamplingRequested request, boolean reviewResponse) {
        return hold(request, reviewResponse, true);
    }

    SamplingDecided hold(SamplingRequested request, boolean reviewResponse, boolean marked) {
        SamplingDecided held = decision(request, Decision.HELD_FOR_REVIEW, reviewResponse);
        held.setReason("Needs a human");
        decisionsIn.pipeInput(record(request, held, marked ? ReviewMark.request() : null));
        return held;
    }

    /** A rule approved the request and asked for response review (as the decision topology writes it: marked, routed to review). */
    void approveWithResponseReview(SamplingRequested request) {
        SamplingDecided approved = decision(request, Decision.APPROVED, true);
        approved.setContext(viaReview(request));
        decisionsIn.pipeInput(record(request, approved, ReviewMark.response()));
    }

    /**
     * The model answered a request whose answer goes to review (as the model-worker writes it: the decision's context,
     * whose reply route goes to review; no mark).
     */
    void complete(SamplingRequested request, String answer) {
        complete(request, answer, viaReview(request));
    }

    /** The model answered with the given context (its reply route decides whether review sees it). */
    void complete(SamplingRequested request, String answer, SamplingContext context) {
        completionsIn.pipeInput(record(request, SamplingCompleted.newBuilder().setContext(context)
                .setOccurredAt(clock.instant()).setCreateMessageResult(result(answer)).setProvider("offline")
                .setUsage(new TokenUsage(12L, 3L, null)).setLatencyMillis(4L).build(), null));
    }

    /** The model failed on a request whose answer goes to review. */
    void fail(SamplingRequested request, String errorCode, String message) {
        completionsIn.pipeInput(record(request, SamplingFailed.newBuilder().setContext(viaReview(request))
                .setOccurredAt(clock.instant()).setStage("model-worker").setErrorCode(errorCode).setMessage(message)
                .setRetryable(false).setAttempts(1).build(), null));
    }

    static SamplingContext viaReview(SamplingRequested request) {
        return ReplyRoutes.viaReview(request.getContext(), TOPICS);
    }

    private <V> TestRecord<String, V> record(SamplingRequested request, V value, Header mark) {
        RecordHeaders headers = new RecordHeaders();
        if (mark != null) {
            headers.add(mark);
        }
        if (upstreamTraceParent != null) {
            headers.add("traceparent", upstreamTraceParent.getBytes(StandardCharsets.UTF_8));
        }
        return new TestRecord<>(request.getContext().getRequestId(), value, headers, clock.instant());
    }

    void lifecycle(SpecificRecord event, String requestId) {
        lifecycleIn.pipeInput(requestId, event, clock.instant());
    }

    ReviewCommand command(String requestId, ReviewStage stage, ReviewAction action, String reviewer) {
        return ReviewCommand.newBuilder()
                .setRequestId(requestId)
                .setCommandId(UUID.randomUUID().toString())
                .setStage(stage)
                .setAction(action)
                .setReviewer(reviewer)
                .setSubmittedAt(clock.instant())
                .build();
    }

    void send(ReviewCommand command) {
        commandsIn.pipeInput(command.getRequestId(), command, clock.instant());
    }

    /** Moves the wall clock and lets the punctuator run. */
    void advance(Duration duration) {
        clock.advance(duration);
        driver.advanceWallClockTime(duration);
    }

    List<TestRecord<String, ReviewItem>> reviews() {
        return reviews.readRecordsToList();
    }

    ReviewItem lastReview() {
        List<TestRecord<String, ReviewItem>> all = reviews();
        return all.isEmpty() ? null : all.get(all.size() - 1).value();
    }

    /** The item the store holds now (shown on the reviews topic or not). */
    ReviewItem lastStored(String requestId) {
        return driver.<String, ReviewItem>getKeyValueStore(ReviewTopology.ITEMS_STORE).get(requestId);
    }

    /** Decisions written by the topology (the reviewer's), not those piped in. */
    List<SamplingDecided> reviewerDecisions() {
        return reviewerDecisionRecords().stream().map(TestRecord::value).toList();
    }

    /** As {@link #reviewerDecisions()}, with their headers. */
    List<TestRecord<String, SamplingDecided>> reviewerDecisionRecords() {
        return decisions.readRecordsToList().stream()
                .filter(decided -> decided.value().getDecidedBy().getKind() == DeciderKind.REVIEWER).toList();
    }

    List<SamplingResolved> results() {
        return results.readValuesToList();
    }

    List<SpecificRecord> lifecycleOut() {
        return lifecycle.readValuesToList();
    }

    static CreateMessageResult result(String text) {
        return CreateMessageResult.newBuilder().setRole(Role.assistant).setContent(List.of(new TextContent(text, null, null, null)))
                .setModel("offline-echo").setStopReason("endTurn").build();
    }

    private SamplingDecided decision(SamplingRequested request, Decision decision, boolean reviewResponse) {
        Instant now = clock.instant();
        return SamplingDecided.newBuilder()
                .setContext(request.getContext())
                .setOccurredAt(now)
                .setDecision(decision)
                .setDecidedBy(new Decider(DeciderKind.RULE, "hold-everything"))
                .setEffectiveParams(CreateMessageParams.newBuilder(request.getParams()).build())
                .setReviewResponse(reviewResponse)
                .build();
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            state.close();
            metrics.close();
            tracing.close();
        }
    }
}
