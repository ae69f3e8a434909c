package io.samplingbroker.broker.sampling;

import static io.samplingbroker.broker.sampling.MockKafka.awaitSent;
import static io.samplingbroker.broker.sampling.MockKafka.completionRecord;
import static io.samplingbroker.broker.sampling.MockKafka.resultRecord;
import static io.samplingbroker.broker.sampling.MockKafka.sentTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.RefusalReason;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.serviceruntime.tracing.ServiceTracing;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;
import io.vertx.core.json.JsonObject;

/** The dispatcher and its lifecycle on Kafka's mock clients, with a clock and deadlines the test moves. */
class SamplingDispatcherTest {

    private static final Instant START = Instant.parse("2026-11-17T09:00:00.123Z");
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final String INSTANCE = "broker-a";
    private static final String SESSION = "session-1";

    private final SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults().withPrefix("unit."));
    private final String requestsTopic = topics.requests().name();
    private final String lifecycleTopic = topics.lifecycle().name();
    private final ManualTime time = new ManualTime(START);
    private final MockProducer<String, Object> producer = MockKafka.producer(topics);
    private final MockConsumer<String, SpecificRecord> consumer = MockKafka.answersConsumer(topics);
    private final ServiceMetrics metrics = ServiceMetrics.create(Service.BROKER);
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final ServiceTracing tracing = ServiceTracing.exportingTo(Service.BROKER, spans);
    private AnswerRouter answers;
    private SamplingDispatcher dispatcher;

    @BeforeEach
    void wireTheDispatcherToMockKafka() {
        EventPublisher publisher = new EventPublisher(producer);
        SamplingLifecycle lifecycle = new SamplingLifecycle(time.clock(), time, publisher, lifecycleTopic,
                new RequestMetrics(metrics, time.clock()), new PipelineLoad(SamplingLimits.DEFAULT_SHED_DELAY, time.clock()));
        FailureSignal failures = new FailureSignal(INSTANCE);
        answers = new AnswerRouter(consumer, topics, INSTANCE, lifecycle::answer, (failure, reason) -> { }, failures);
        dispatcher = new SamplingDispatcher(INSTANCE, SamplingLimits.of(DEADLINE), time.clock(), topics, publisher,
                lifecycle, answers, failures, tracing.tracer());
    }

    @AfterEach
    void closeTheDispatcher() {
        dispatcher.close();
        metrics.close();
    }

    @Test
    void givenAValidRequest_whenSubmitted_thenASamplingRequestedWithItsContextAndTheClocksDeadlineIsPublished()
            throws Exception {
        // When
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");

        // Then
        assertThat(awaitSent(producer, requestsTopic, 1)).singleElement().satisfies(record -> {
            SamplingRequested requested = (SamplingRequested) record.value();
            SamplingContext context = requested.getContext();
            assertThat(record.key()).isEqualTo(context.getRequestId());
            assertThat(context.getHostId()).isEqualTo("alice-laptop");
            assertThat(context.getServerName()).isEqualTo("everything");
            assertThat(context.getSessionId()).isEqualTo(SESSION);
            assertThat(context.getJsonRpcId()).isEqualTo("7");
            assertThat(context.getTraceId()).matches("[0-9a-f]{32}");
            assertThat(context.getRequestedAt()).isEqualTo(START);
            assertThat(context.getDeadline()).isEqualTo(START.plus(DEADLINE));
            assertThat(context.getReplyRoute()).isEqualTo(new ReplyRoute(INSTANCE, "unit.results", null));
            assertThat(requested.getOccurredAt()).isEqualTo(START);
            assertThat(requested.getParams().getMaxTokens()).isEqualTo(64);
            assertThat(requested.getProtocolVersion()).isEqualTo("2025-11-25");
            assertThat(requested.getTriggeringToolCall()).isEqualTo("trigger-sampling-request");
            assertThat(requested.getHostDeclaredSamplingTools()).isTrue();
            assertThat(EventChain.previousOf(record.headers())).as("a request starts its chain").isNull();
            assertThat(EventChain.hashOf(record.headers())).isNotNull();
        });
        assertThat(outcome).isNotDone();
        assertThat(dispatcher.pendingCount()).isEqualTo(1);
        assertThat(time.scheduledCount()).as("its deadline").isEqualTo(1);
    }

    @Test
    void givenAPendingRequest_whenItsCompletionIsRoutedHere_thenTheServerGetsTheResultAndItsDeliveryFollowsTheCompletion()
            throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");
        SamplingContext context = requestedContext();
        byte[] resultHash = {7, 7, 7};
        consumer.addRecord(completionRecord(topics, 0, 0, completion(context, "hello back"), resultHash));

        // When
        answers.pollOnce(Duration.ZERO);
        SamplingOutcome.Reply reply = (SamplingOutcome.Reply) outcome.getNow(null);
        time.advance(Duration.ofSeconds(2));
        dispatcher.delivered(reply);

        // Then
        assertThat(reply.errorCode()).isNull();
        JsonObject response = reply.message().json();
        assertThat(response.getValue("id")).isEqualTo(7);
        assertThat(response.getJsonObject("result").getString("model")).isEqualTo("unit-model");
        assertThat(response.getJsonObject("result").encode()).contains("hello back");
        assertThat(dispatcher.pendingCount()).isZero();
        assertThat(time.scheduledCount()).as("the deadline is called off").isZero();
        assertThat(awaitSent(producer, lifecycleTopic, 1)).singleElement().satisfies(record -> {
            assertThat(record.value()).isInstanceOfSatisfying(SamplingDelivered.class, delivered -> {
                assertThat(delivered.getContext().getRequestId()).isEqualTo(context.getRequestId());
                assertThat(delivered.getOccurredAt()).isEqualTo(START.plusSeconds(2));
                assertThat(delivered.getErrorCode()).isNull();
            });
            assertThat(EventChain.previousOf(record.headers())).as("the delivery follows the answer").isEqualTo(resultHash);
        });
        assertThat(metrics.registry().get(RequestMetrics.REQUESTS).tags("outcome", "result", "code", "none",
                "model", "unit-model", "host", "alice-laptop").counter().count()).isEqualTo(1.0);
        Timer endToEnd = metrics.registry().get(ServiceMetrics.STAGE_DURATION).tag("stage", "end_to_end").timer();
        assertThat(endToEnd.count()).isEqualTo(1);
        assertThat(endToEnd.totalTime(TimeUnit.SECONDS)).isEqualTo(2.0);
    }

    @Test
    void givenAHostCallWithATraceParent_whenTheServerAsksAndIsAnswered_thenTheRequestIsASpanOfTheHostsTrace()
            throws Exception {
        // Given a host call in trace 4bf9...; its span 00f0...
        String hostTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String hostSpan = "00f067aa0ba902b7";
        CompletableFuture<SamplingOutcome> outcome = dispatcher.submit(origin(SESSION, "00-" + hostTrace + "-"
                + hostSpan + "-01"), JsonRpcMessage.parse(REQUEST_TEXT)).toCompletableFuture();
        ProducerRecord<String, Object> request = awaitSent(producer, requestsTopic, 1).get(0);
        SamplingContext context = ((SamplingRequested) request.value()).getContext();

        // When
        consumer.addRecord(completionRecord(topics, 0, 0, completion(context, "hello back"), new byte[] {7}));
        answers.pollOnce(Duration.ZERO);
        dispatcher.delivered((SamplingOutcome.Reply) outcome.getNow(null));

        // Then the event carries the host's trace id, and its headers the broker's span, a child of the host's
        assertThat(context.getTraceId()).isEqualTo(hostTrace);
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactly("sampling deliver", "sampling/createMessage");
        SpanData requestSpan = span("sampling/createMessage");
        assertThat(requestSpan.getTraceId()).isEqualTo(hostTrace);
        assertThat(requestSpan.getParentSpanId()).isEqualTo(hostSpan);
        assertThat(requestSpan.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(requestSpan.getAttributes().asMap()).extractingFromEntries(entry -> entry.getKey().getKey())
                .contains("sampling.request_id", "sampling.host", "sampling.server", "mcp.method.name");
        assertThat(TraceHeaders.traceParentOf(TraceHeaders.extract(request.headers())))
                .isEqualTo("00-" + hostTrace + "-" + requestSpan.getSpanId() + "-01");
        assertThat(span("sampling deliver").getParentSpanId()).isEqualTo(requestSpan.getSpanId());
        assertThat(TraceHeaders.traceParentOf(TraceHeaders.extract(awaitSent(producer, lifecycleTopic, 1).get(0)
                .headers()))).as("the delivered event, under the request span").contains(requestSpan.getSpanId());
    }

    @Test
    void givenTheServersOwnTraceParentInMeta_whenSubmitted_thenItWinsOverTheHostCalls() throws Exception {
        // Given
        String serverTrace = "0af7651916cd43dd8448eb211c80319c";
        String text = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"sampling/createMessage\",\"params\":{\"_meta\":"
                + "{\"traceparent\":\"00-" + serverTrace + "-b7ad6b7169203331-01\"},\"messages\":[{\"role\":\"user\","
                + "\"content\":{\"type\":\"text\",\"text\":\"hi\"}}],\"maxTokens\":64}}";

        // When
        dispatcher.submit(origin(SESSION, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                JsonRpcMessage.parse(text));

        // Then
        assertThat(requestedContext().getTraceId()).isEqualTo(serverTrace);
    }

    @Test
    void givenNoTraceParent_whenRefusedAsInvalid_thenANewTraceWhoseIdTheRefusalCarriesEndsInError() throws Exception {
        // When
        SamplingOutcome.Reply reply = (SamplingOutcome.Reply) dispatcher.submit(origin(SESSION, "not-a-traceparent"),
                JsonRpcMessage.parse("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"sampling/createMessage\"}"))
                .toCompletableFuture().getNow(null);
        dispatcher.delivered(reply);

        // Then
        SpanData requestSpan = span("sampling/createMessage");
        assertThat(requestSpan.getParentSpanContext().isValid()).as("a trace of its own").isFalse();
        assertThat(requestSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(requestSpan.getAttributes().asMap()).extractingFromEntries(entry -> entry.getKey().getKey()
                + "=" + entry.getValue()).contains("rpc.jsonrpc.error_code=-32602");
        assertThat(((SamplingRefused) awaitSent(producer, requestsTopic, 1).get(0).value()).getContext().getTraceId())
                .isEqualTo(requestSpan.getTraceId());
    }

    private SpanData span(String name) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }

    @Test
    void givenAPendingRequest_whenTheModelsFailureIsRoutedHere_thenTheServerGetsSamplingFailedNamingTheCode()
            throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");
        SamplingFailed failed = SamplingFailed.newBuilder().setContext(requestedContext()).setOccurredAt(START)
                .setStage("model-worker").setErrorCode("PROVIDER_UNAVAILABLE").setMessage("provider answered 503")
                .setRetryable(true).setAttempts(3).setProvider("openai").setProviderStatus(503).build();
        consumer.addRecord(completionRecord(topics, 1, 0, failed, new byte[] {4}));

        // When
        answers.pollOnce(Duration.ZERO);

        // Then
        assertThat(outcome.getNow(null)).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(SamplingErrors.SAMPLING_FAILED);
            assertThat(reply.message().json().getJsonObject("error")).isEqualTo(new JsonObject()
                    .put("code", SamplingErrors.SAMPLING_FAILED).put("message", "Sampling failed: provider answered 503")
                    .put("data", new JsonObject().put("errorCode", "PROVIDER_UNAVAILABLE")));
        });
    }

    @Test
    void givenACompletionRoutedToReview_whenPolled_thenTheServerGetsNothingUntilTheReviewersResult() throws Exception {
        // Given the policy routed the answer to a reviewer: the completion waits there, the reviewer's result is the answer
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");
        SamplingContext viaReview = ReplyRoutes.viaReview(requestedContext(), topics);
        consumer.addRecord(completionRecord(topics, 0, 0, completion(viaReview, "unreviewed"), new byte[] {1}));

        // When
        answers.pollOnce(Duration.ZERO);

        // Then
        assertThat(outcome).isNotDone();
        assertThat(dispatcher.pendingCount()).isEqualTo(1);

        // When the reviewer's edited answer arrives on results, routed back to the broker
        consumer.addRecord(resultRecord(topics, 0, 0, answer(ReplyRoutes.toBroker(viaReview, topics), "reviewed"),
                new byte[] {2}));
        answers.pollOnce(Duration.ZERO);

        // Then that is what the server gets
        assertThat(outcome.getNow(null)).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply ->
                assertThat(reply.message().json().getJsonObject("result").encode()).contains("reviewed")
                        .doesNotContain("unreviewed"));
    }

    @Test
    void givenAPendingRequest_whenARejectionIsRoutedHere_thenTheServerGetsThatError() throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "\"s-1\"");
        SamplingResolved denial = SamplingResolved.newBuilder(answer(requestedContext(), "unused"))
                .setCreateMessageResult(null)
                .setError(new JsonRpcError(-1, "User rejected sampling request", "{\"rule\":\"no-secrets\"}"))
                .build();
        consumer.addRecord(resultRecord(topics, 1, 0, denial, new byte[] {1}));

        // When
        answers.pollOnce(Duration.ZERO);

        // Then
        assertThat(outcome.getNow(null)).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(-1);
            assertThat(reply.message().json().getValue("id")).isEqualTo("s-1");
            assertThat(reply.message().json().getJsonObject("error")).isEqualTo(new JsonObject()
                    .put("code", -1).put("message", "User rejected sampling request")
                    .put("data", new JsonObject().put("rule", "no-secrets")));
        });
    }

    @Test
    void givenAResultRoutedToAnotherInstance_whenPolled_thenItIsIgnoredAndTheRequestStaysPending() throws Exception {
        // Given the same request id, but the reply route names another broker instance
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");
        SamplingContext elsewhere = SamplingContext.newBuilder(requestedContext())
                .setReplyRoute(new ReplyRoute("broker-b", topics.results().name(), null)).build();
        consumer.addRecord(resultRecord(topics, 0, 0, answer(elsewhere, "not for broker-a"), new byte[] {1}));

        // When
        answers.pollOnce(Duration.ZERO);

        // Then
        assertThat(outcome).isNotDone();
        assertThat(dispatcher.pendingCount()).isEqualTo(1);
    }

    @Test
    void givenNoAnswer_whenTheDeadlinePasses_thenTheServerGetsMinus32001AndAnExpiredEventFollowsTheRequest()
            throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");
        ProducerRecord<String, Object> request = awaitSent(producer, requestsTopic, 1).get(0);
        SamplingContext context = ((SamplingRequested) request.value()).getContext();
        time.advance(DEADLINE.minusMillis(1));
        assertThat(outcome).as("a millisecond before the deadline").isNotDone();

        // When
        time.advance(Duration.ofMillis(1));

        // Then
        assertThat(outcome.getNow(null)).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(-32001);
            assertThat(reply.message().json().getValue("id")).isEqualTo(7);
            assertThat(reply.message().json().getJsonObject("error")).isEqualTo(new JsonObject().put("code", -32001)
                    .put("message", "Sampling request expired before an answer (deadline 45 s)"));
        });
        assertThat(dispatcher.pendingCount()).isZero();
        assertThat(awaitSent(producer, lifecycleTopic, 1)).singleElement().satisfies(record -> {
            assertThat(record.value()).isInstanceOfSatisfying(SamplingExpired.class, expired -> {
                assertThat(expired.getContext()).isEqualTo(context);
                assertThat(expired.getOccurredAt()).isEqualTo(START.plus(DEADLINE));
            });
            assertThat(EventChain.previousOf(record.headers())).as("the expiry follows the request")
                    .isEqualTo(EventChain.hashOf(request.headers()));
        });

        // And a result arriving after the deadline changes nothing
        consumer.addRecord(resultRecord(topics, 0, 0, answer(context, "too late"), new byte[] {1}));
        answers.pollOnce(Duration.ZERO);
        dispatcher.close(); // waits for the publisher's queue to drain
        assertThat(sentTo(producer, lifecycleTopic)).hasSize(1);
    }

    @Test
    void givenAPendingRequest_whenTheServerCancelsIt_thenNoReplyIsSentAndACancelledEventIsWritten() throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");
        awaitSent(producer, requestsTopic, 1);
        assertThat(dispatcher.cancel(SESSION, "\"7\"", "wrong id")).as("the string id \"7\" is another request").isFalse();
        assertThat(dispatcher.cancel("session-2", "7", "wrong session")).isFalse();
        assertThat(outcome).isNotDone();
        time.advance(Duration.ofSeconds(3));

        // When
        boolean cancelled = dispatcher.cancel(SESSION, "7", "the user gave up");

        // Then
        assertThat(cancelled).isTrue();
        assertThat(outcome.getNow(null)).isEqualTo(new SamplingOutcome.NoReply(requestedContext().getRequestId(),
                "the user gave up"));
        assertThat(time.scheduledCount()).as("the deadline is called off").isZero();
        time.advance(DEADLINE);
        dispatcher.close(); // waits for the publisher's queue to drain
        assertThat(sentTo(producer, lifecycleTopic)).singleElement().satisfies(record ->
                assertThat(record.value()).isInstanceOfSatisfying(SamplingCancelled.class, event -> {
                    assertThat(event.getCancelledBy()).isEqualTo(CancelledBy.SERVER);
                    assertThat(event.getReason()).isEqualTo("the user gave up");
                    assertThat(event.getOccurredAt()).isEqualTo(START.plusSeconds(3));
                }));
    }

    @Test
    void givenPendingRequestsOnTwoSessions_whenOneSessionCloses_thenOnlyItsRequestsAreAbandoned() throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> first = submit(SESSION, "1");
        CompletableFuture<SamplingOutcome> second = submit(SESSION, "2");
        CompletableFuture<SamplingOutcome> otherSession = submit("session-2", "1");
        awaitSent(producer, requestsTopic, 3);

        // When
        dispatcher.abandonSession(SESSION, "host closed the session");

        // Then
        assertThat(List.of(first.getNow(null), second.getNow(null))).allSatisfy(outcome ->
                assertThat(outcome).isInstanceOfSatisfying(SamplingOutcome.NoReply.class,
                        noReply -> assertThat(noReply.reason()).isEqualTo("host closed the session")));
        assertThat(otherSession).isNotDone();
        assertThat(dispatcher.pendingCount()).isEqualTo(1);
        List<String> abandonedIds = List.of(((SamplingOutcome.NoReply) first.get()).requestId(),
                ((SamplingOutcome.NoReply) second.get()).requestId());
        assertThat(awaitSent(producer, lifecycleTopic, 2)).hasSize(2).allSatisfy(record ->
                assertThat(record.value()).isInstanceOfSatisfying(SamplingAbandoned.class, abandoned -> {
                    assertThat(abandoned.getContext().getSessionId()).isEqualTo(SESSION);
                    assertThat(abandonedIds).contains(abandoned.getContext().getRequestId());
                    assertThat(abandoned.getReason()).isEqualTo("host closed the session");
                }));
    }

    @Test
    void givenAStoppingInstance_whenDrained_thenItWaitsForThePendingUpToTheTimeoutAndRefusesTheServersOwnNewRequests()
            throws Exception {
        // Given one request pending
        CompletableFuture<SamplingOutcome> pending = submit(SESSION, "1");
        awaitSent(producer, requestsTopic, 1);

        // When the instance drains with no time to wait, then the request is still pending (close abandons it)
        assertThat(dispatcher.drain(Duration.ofMillis(50))).isEqualTo(1);
        assertThat(pending).isNotDone();

        // and a request the server makes on its own now is refused, answered -32004, and recorded as such
        SamplingOutcome refused = dispatcher.submit(new SamplingOrigin(HostIdentity.selfNamed("alice-laptop"),
                "everything", SESSION, "2025-11-25", "2025-11-25", null, null, null, null), JsonRpcMessage.parse(
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"sampling/createMessage\",\"params\":{\"messages\":"
                + "[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}],\"maxTokens\":64}}"))
                .toCompletableFuture().getNow(null);
        assertThat(refused).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(SamplingErrors.REQUEST_NOT_RECORDED);
            assertThat(reply.message().json().getJsonObject("error").getString("message"))
                    .endsWith("this broker instance is stopping");
        });
        List<ProducerRecord<String, Object>> requests = awaitSent(producer, requestsTopic, 2);
        assertThat(requests.get(1).value()).isInstanceOfSatisfying(SamplingRefused.class, event -> {
            assertThat(event.getReason()).isEqualTo(RefusalReason.BROKER_STOPPING);
            assertThat(event.getDetail()).isEqualTo("broker instance " + INSTANCE + " is stopping");
        });

        // while one made serving a host's call is part of the work under way, and taken
        CompletableFuture<SamplingOutcome> triggered = submit(SESSION, "3");
        assertThat(triggered).isNotDone();
        assertThat(dispatcher.pendingCount()).isEqualTo(2);

        // When the pending requests end, then a drain returns at once with nothing left
        dispatcher.abandonSession(SESSION, "host closed the session");
        assertThat(dispatcher.drain(Duration.ofMinutes(1))).isZero();
    }

    @Test
    void givenARequestLargerThanTheLimit_whenSubmitted_thenTheServerGetsAnErrorNamingTheLimitAndItsRefusalIsRecorded()
            throws Exception {
        String prompt = "\u00e9".repeat(600_000); // 1.2 MB in UTF-8, 600,000 characters
        String text = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"sampling/createMessage\",\"params\":{\"maxTokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"" + prompt + "\"}}]}}";
        SamplingOutcome outcome = dispatcher.submit(origin(SESSION), JsonRpcMessage.parse(text))
                .toCompletableFuture().getNow(null);

        assertThat(outcome).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(-32602);
            assertThat(reply.message().json().getJsonObject("error").getString("message"))
                    .startsWith("Sampling request too large: 1200")
                    .endsWith("bytes; this broker records at most 1000000 (broker.sampling.max.request.bytes)");
            assertThat(reply.message().json().getJsonObject("error").getJsonObject("data").getInteger("limit"))
                    .isEqualTo(1_000_000);
            dispatcher.delivered(reply);
        });
        assertThat(SamplingDispatcher.utf8Length("a\u00e9\u20ac\ud83d\ude00")).isEqualTo(1 + 2 + 3 + 4);
        dispatcher.close();
        assertRefusedThenDelivered(RefusalReason.TOO_LARGE, -32602, text);
        assertThat(refusal().getDetail()).isEqualTo(utf8(text).length + " bytes, more than the 1000000 of "
                + "broker.sampling.max.request.bytes");
        assertThat(refusal().toString()).as("no content in the record").doesNotContain(prompt.substring(0, 20));
        assertThat(metrics.registry().get(RequestMetrics.REFUSALS).tag("reason", "too_large").counter().count())
                .isEqualTo(1.0);
        assertThat(metrics.registry().get(RequestMetrics.REQUESTS).tags("outcome", "error", "code", "-32602")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void givenARequestKafkaRejectsAsTooLarge_whenSubmitted_thenItsRefusalStandsInForItAndTheDeliveryFollowsIt()
            throws Exception {
        // Given: the broker's own limit lets it through, Kafka's record limit does not
        MockProducer<String, Object> limited = MockKafka.producerWithRecordLimit(topics, 1_500);
        EventPublisher publisher = new EventPublisher(limited);
        SamplingLifecycle lifecycle = new SamplingLifecycle(time.clock(), time, publisher, lifecycleTopic,
                new RequestMetrics(metrics, time.clock()), new PipelineLoad(SamplingLimits.DEFAULT_SHED_DELAY, time.clock()));
        FailureSignal failures = new FailureSignal(INSTANCE);
        AnswerRouter router = new AnswerRouter(MockKafka.answersConsumer(topics), topics, INSTANCE, lifecycle::answer,
                (failure, reason) -> { }, failures);
        SamplingDispatcher small = new SamplingDispatcher(INSTANCE, SamplingLimits.of(DEADLINE), time.clock(), topics,
                publisher, lifecycle, router, failures, tracing.tracer());
        String text = "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"sampling/createMessage\",\"params\":{\"maxTokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"" + "x".repeat(4_000) + "\"}}]}}";

        // When
        SamplingOutcome outcome = small.submit(origin(SESSION), JsonRpcMessage.parse(text)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        small.delivered((SamplingOutcome.Reply) outcome);
        small.close();

        // Then
        assertThat(((SamplingOutcome.Reply) outcome).errorCode()).isEqualTo(SamplingErrors.REQUEST_NOT_RECORDED);
        assertThat(small.pendingCount()).isZero();
        List<ProducerRecord<String, Object>> requests = sentTo(limited, requestsTopic);
        assertThat(requests).as("only the refusal was written").singleElement()
                .satisfies(record -> assertThat(record.value()).isInstanceOfSatisfying(SamplingRefused.class, refused -> {
                    assertThat(refused.getReason()).isEqualTo(RefusalReason.NOT_RECORDED);
                    assertThat(refused.getErrorCode()).isEqualTo(SamplingErrors.REQUEST_NOT_RECORDED);
                    assertThat(refused.getDetail()).startsWith("RecordTooLargeException: The message is ");
                    assertThat(refused.getRequestBytes()).isEqualTo(utf8(text).length);
                    assertThat(EventChain.previousOf(record.headers())).as("it starts the chain").isNull();
                }));
        ProducerRecord<String, Object> delivered = sentTo(limited, lifecycleTopic).get(0);
        assertThat(delivered.value()).isInstanceOf(SamplingDelivered.class);
        assertThat(EventChain.previousOf(delivered.headers())).as("the delivery follows the refusal, a written event")
                .isEqualTo(EventChain.hashOf(requests.get(0).headers()));
    }

    @Test
    void givenInvalidParams_whenSubmitted_thenTheServerGetsMinus32602AndTheRefusalIsRecorded() throws Exception {
        // When
        String text = "{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":\"sampling/createMessage\",\"params\":"
                + "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}]}}";
        SamplingOutcome noMaxTokens = dispatcher.submit(origin(SESSION), JsonRpcMessage.parse(text))
                .toCompletableFuture().getNow(null);

        // Then
        assertThat(noMaxTokens).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(-32602);
            assertThat(reply.message().text()).contains("\"id\":\"s-1\"").contains("/maxTokens: is required");
            dispatcher.delivered(reply);
        });
        assertThat(dispatcher.pendingCount()).isZero();
        assertThat(time.scheduledCount()).isZero();
        dispatcher.close(); // waits for the publisher's queue to drain
        assertRefusedThenDelivered(RefusalReason.INVALID_PARAMS, -32602, text);
        assertThat(refusal().getDetail()).contains("/maxTokens: is required");
    }

    @Test
    void givenNoParams_whenSubmitted_thenTheServerGetsMinus32602() throws Exception {
        SamplingOutcome noParams = dispatcher.submit(origin(SESSION), JsonRpcMessage.parse(
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"sampling/createMessage\"}")).toCompletableFuture().getNow(null);

        assertThat(noParams).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(-32602);
            assertThat(reply.message().text()).contains("sampling/createMessage needs params");
        });
    }

    @Test
    void givenAnswersThatAllWaitedLongInThePipeline_whenANewRequestComes_thenItIsRefusedAsOverloadedUntilTheQueueDrains()
            throws Exception {
        // Given: an interval's answers, the quickest of which waited 1.5 s besides the model's 5 ms
        List<CompletableFuture<SamplingOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < PipelineLoad.MIN_ANSWERS; i++) {
            outcomes.add(submit(SESSION, Integer.toString(100 + i)));
        }
        List<ProducerRecord<String, Object>> requested = awaitSent(producer, requestsTopic, PipelineLoad.MIN_ANSWERS);
        time.advance(Duration.ofMillis(1_505));
        for (int i = 0; i < requested.size(); i++) {
            SamplingContext context = ((SamplingRequested) requested.get(i).value()).getContext();
            consumer.addRecord(completionRecord(topics, 0, i, completion(context, "late"), new byte[] {1}));
        }
        answers.pollOnce(Duration.ZERO);
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isDone());
        time.advance(PipelineLoad.INTERVAL);

        // When
        SamplingOutcome.Reply refused = (SamplingOutcome.Reply) submit(SESSION, "200").get(5, TimeUnit.SECONDS);

        // Then: an answer at once, -32004 naming the delay and the setting, recorded as OVERLOADED, nothing pending
        assertThat(refused.errorCode()).isEqualTo(SamplingErrors.REQUEST_NOT_RECORDED);
        assertThat(refused.message().text()).contains("1500 ms").contains("broker.sampling.shed.delay.ms");
        assertThat(dispatcher.pendingCount()).isZero();
        List<ProducerRecord<String, Object>> all = awaitSent(producer, requestsTopic, PipelineLoad.MIN_ANSWERS + 1);
        assertThat(all.get(all.size() - 1).value()).isInstanceOfSatisfying(SamplingRefused.class, refusal -> {
            assertThat(refusal.getReason()).isEqualTo(RefusalReason.OVERLOADED);
            assertThat(refusal.getErrorCode()).isEqualTo(SamplingErrors.REQUEST_NOT_RECORDED);
        });

        // And: once an interval passes with no answer left to come, requests are taken again
        time.advance(PipelineLoad.INTERVAL.multipliedBy(2));
        CompletableFuture<SamplingOutcome> taken = submit(SESSION, "201");
        assertThat(taken).isNotDone();
        assertThat(dispatcher.pendingCount()).isEqualTo(1);
    }

    /** The one request's refusal on the requests topic, then its delivery following it on lifecycle. */
    private void assertRefusedThenDelivered(RefusalReason reason, int errorCode, String requestText) throws Exception {
        List<ProducerRecord<String, Object>> requests = sentTo(producer, requestsTopic);
        assertThat(requests).singleElement().satisfies(record -> {
            SamplingRefused refused = (SamplingRefused) record.value();
            assertThat(refused.getReason()).isEqualTo(reason);
            assertThat(refused.getErrorCode()).isEqualTo(errorCode);
            assertThat(refused.getRequestBytes()).isEqualTo(utf8(requestText).length);
            assertThat(refused.getRequestSha256()).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(utf8(requestText))));
            assertThat(refused.getContext().getSessionId()).isEqualTo(SESSION);
            assertThat(refused.getProtocolVersion()).isEqualTo("2025-11-25");
            assertThat(EventChain.previousOf(record.headers())).as("it starts the chain").isNull();
        });
        assertThat(sentTo(producer, lifecycleTopic)).singleElement().satisfies(record -> {
            assertThat(((SamplingDelivered) record.value()).getErrorCode()).isEqualTo(errorCode);
            assertThat(EventChain.previousOf(record.headers())).isEqualTo(EventChain.hashOf(requests.get(0).headers()));
        });
    }

    private SamplingRefused refusal() {
        return (SamplingRefused) sentTo(producer, requestsTopic).get(0).value();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void givenKafkaRefusesTheRequest_whenSubmitted_thenTheServerGetsMinus32004AndNothingStaysPending() throws Exception {
        // Given
        producer.sendException = new KafkaException("Kafka is down");

        // When
        SamplingOutcome outcome = submit(SESSION, "7").get(5, TimeUnit.SECONDS);

        // Then
        assertThat(outcome).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(-32004);
            assertThat(reply.message().json().getValue("id")).isEqualTo(7);
            assertThat(reply.message().json().getJsonObject("error").getString("message")).isEqualTo(
                    "Sampling broker unavailable: the request could not be recorded "
                            + "(org.apache.kafka.common.KafkaException: Kafka is down)");
        });
        assertThat(dispatcher.pendingCount()).isZero();
        assertThat(time.scheduledCount()).as("no deadline left behind").isZero();
    }

    @Test
    void givenAForwardToTheHost_whenTheHostAnswers_thenItsAnswerIsACompletionFollowingTheForwardAndTheServerGetsIt()
            throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");
        SamplingContext context = requestedContext();
        byte[] forwardHash = {9, 9};
        consumer.addRecord(resultRecord(topics, 0, 0, forward(context), forwardHash));
        answers.pollOnce(Duration.ZERO);
        SamplingOutcome.Forward forward = (SamplingOutcome.Forward) outcome.getNow(null);
        assertThat(dispatcher.pendingCount()).as("nothing waits while the host has it").isZero();
        assertThat(forward.request("\"fwd\"").json().getJsonObject("params").getInteger("maxTokens")).isEqualTo(64);
        time.advance(Duration.ofSeconds(3));

        // When
        CompletableFuture<SamplingOutcome> answered = dispatcher.hostAnswered(forward.forwarded(), JsonRpcMessage.parse(
                "{\"jsonrpc\":\"2.0\",\"id\":\"fwd\",\"result\":{\"role\":\"assistant\",\"model\":\"host-model\","
                        + "\"content\":{\"type\":\"text\",\"text\":\"from the host\"}}}")).toCompletableFuture();

        // Then
        ProducerRecord<String, Object> written = awaitSent(producer, topics.completions().name(), 1).get(0);
        SamplingCompleted completed = (SamplingCompleted) written.value();
        assertThat(completed.getProvider()).isEqualTo("host");
        assertThat(completed.getLatencyMillis()).isEqualTo(3_000);
        assertThat(completed.getCreateMessageResult().getModel()).isEqualTo("host-model");
        assertThat(completed.getContext().getReplyRoute().getBrokerInstanceId()).isEqualTo(INSTANCE);
        assertThat(EventChain.previousOf(written.headers())).as("the answer follows the forward").isEqualTo(forwardHash);
        assertThat(answered).as("waits for the completion to come back from Kafka").isNotDone();
        consumer.addRecord(completionRecord(topics, 0, 0, completed, new byte[] {5}));
        answers.pollOnce(Duration.ZERO);
        assertThat(answered.getNow(null)).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.message().json().getValue("id")).as("the server's id").isEqualTo(7);
            assertThat(reply.message().json().getJsonObject("result").encode()).contains("from the host");
        });
    }

    @Test
    void givenAForwardToTheHost_whenTheHostAnswersWithAnError_thenTheFailureKeepsItAndTheServerGetsItAsGiven()
            throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> outcome = submit(SESSION, "7");
        consumer.addRecord(resultRecord(topics, 0, 0, forward(requestedContext()), new byte[] {9}));
        answers.pollOnce(Duration.ZERO);
        SamplingOutcome.Forward forward = (SamplingOutcome.Forward) outcome.getNow(null);

        // When
        CompletableFuture<SamplingOutcome> answered = dispatcher.hostAnswered(forward.forwarded(), JsonRpcMessage.parse(
                "{\"jsonrpc\":\"2.0\",\"id\":\"fwd\",\"error\":{\"code\":-1,\"message\":\"User rejected sampling request\"}}"))
                .toCompletableFuture();

        // Then
        SamplingFailed failed = (SamplingFailed) awaitSent(producer, topics.completions().name(), 1).get(0).value();
        assertThat(failed.getStage()).isEqualTo("host");
        assertThat(failed.getErrorCode()).isEqualTo("HOST_ERROR");
        assertThat(failed.getHostError()).isEqualTo(new JsonRpcError(-1, "User rejected sampling request", null));
        consumer.addRecord(completionRecord(topics, 0, 0, failed, new byte[] {5}));
        answers.pollOnce(Duration.ZERO);
        assertThat(answered.getNow(null)).isInstanceOfSatisfying(SamplingOutcome.Reply.class, reply -> {
            assertThat(reply.errorCode()).isEqualTo(-1);
            assertThat(reply.message().json().getJsonObject("error")).isEqualTo(new JsonObject().put("code", -1)
                    .put("message", "User rejected sampling request"));
        });
    }

    @Test
    void givenAForwardToTheHost_whenItsAnswerIsInvalidOrComesAfterTheDeadline_thenTheServerGetsFailedOrExpired()
            throws Exception {
        // Given
        CompletableFuture<SamplingOutcome> first = submit(SESSION, "7");
        CompletableFuture<SamplingOutcome> second = submit(SESSION, "8");
        List<ProducerRecord<String, Object>> requests = awaitSent(producer, requestsTopic, 2);
        consumer.addRecord(resultRecord(topics, 0, 0, forward(((SamplingRequested) requests.get(0).value())
                .getContext()), new byte[] {1}));
        consumer.addRecord(resultRecord(topics, 0, 1, forward(((SamplingRequested) requests.get(1).value())
                .getContext()), new byte[] {2}));
        answers.pollOnce(Duration.ZERO);
        ForwardedRequest invalid = ((SamplingOutcome.Forward) first.getNow(null)).forwarded();
        ForwardedRequest late = ((SamplingOutcome.Forward) second.getNow(null)).forwarded();

        // When
        dispatcher.hostAnswered(invalid, JsonRpcMessage.parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"model\":7}}"));
        time.advance(DEADLINE);
        CompletableFuture<SamplingOutcome> expired = dispatcher.hostAnswered(late, JsonRpcMessage.parse(
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}")).toCompletableFuture();

        // Then
        SamplingFailed failed = (SamplingFailed) awaitSent(producer, topics.completions().name(), 1).get(0).value();
        assertThat(failed.getErrorCode()).isEqualTo("HOST_INVALID_RESULT");
        assertThat(failed.getMessage()).startsWith("the host's answer is not a valid sampling/createMessage result");
        assertThat(expired.getNow(null)).isInstanceOfSatisfying(SamplingOutcome.Reply.class,
                reply -> assertThat(reply.errorCode()).isEqualTo(SamplingErrors.SAMPLING_EXPIRED));
        dispatcher.close();
        assertThat(sentTo(producer, topics.completions().name())).as("nothing recorded for the late answer").hasSize(1);
    }

    private static SamplingResolved forward(SamplingContext context) {
        return SamplingResolved.newBuilder().setContext(context).setOccurredAt(START).setResolvedBy("unit-test")
                .setForwardToHost(SamplingParamsJson.fromJson(McpJson.parse("{\"messages\":[{\"role\":\"user\",\"content\":"
                        + "{\"type\":\"text\",\"text\":\"hi\"}}],\"maxTokens\":64}"))).build();
    }

    private static final String REQUEST_TEXT = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"sampling/createMessage\","
            + "\"params\":{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}],"
            + "\"maxTokens\":64}}";

    private CompletableFuture<SamplingOutcome> submit(String sessionId, String jsonRpcIdJson)
            throws InvalidJsonRpcException {
        return dispatcher.submit(origin(sessionId), JsonRpcMessage.parse("{\"jsonrpc\":\"2.0\",\"id\":" + jsonRpcIdJson
                + ",\"method\":\"sampling/createMessage\",\"params\":{\"messages\":[{\"role\":\"user\",\"content\":"
                + "{\"type\":\"text\",\"text\":\"hi\"}}],\"maxTokens\":64}}")).toCompletableFuture();
    }

    private static SamplingOrigin origin(String sessionId) {
        return origin(sessionId, null);
    }

    private static SamplingOrigin origin(String sessionId, String traceParent) {
        return new SamplingOrigin(HostIdentity.selfNamed("alice-laptop"), "everything", sessionId, "2025-11-25",
                "2025-11-25", "trigger-sampling-request", null, null, traceParent);
    }

    /** The context of the one request published so far. */
    private SamplingContext requestedContext() throws InterruptedException {
        return ((SamplingRequested) awaitSent(producer, requestsTopic, 1).get(0).value()).getContext();
    }

    private static SamplingCompleted completion(SamplingContext context, String text) {
        return SamplingCompleted.newBuilder().setContext(context).setOccurredAt(START)
                .setCreateMessageResult(answer(context, text).getCreateMessageResult()).setProvider("offline")
                .setUsage(new TokenUsage(3L, 2L, null)).setLatencyMillis(5L).setAttempts(1).build();
    }

    private static SamplingResolved answer(SamplingContext context, String text) {
        CreateMessageResult result = new CreateMessageResult(Role.assistant, List.of(new TextContent(text, null, null,
                null)), ContentShape.SINGLE, "unit-model", "endTurn", null, null);
        return SamplingResolved.newBuilder().setContext(context).setOccurredAt(START).setCreateMessageResult(result)
                .setResolvedBy("unit-test").build();
    }
}
