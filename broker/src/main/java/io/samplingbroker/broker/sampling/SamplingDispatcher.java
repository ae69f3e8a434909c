package io.samplingbroker.broker.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.opentelemetry.api.trace.Tracer;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.RefusalReason;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.LogContext;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.serviceruntime.service.Telemetry;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;
import io.vertx.core.json.JsonObject;

/**
 * The sampling side of every broker transport: turns a server's {@code sampling/createMessage} into a
 * {@link SamplingRequested} event and answers with the outcome its {@link SamplingLifecycle} concludes: a result, an
 * error, or nothing (cancelled). Thread-safe; never blocks its callers.
 */
public final class SamplingDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SamplingDispatcher.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final String instanceId;
    private final SamplingLimits limits;
    private final Clock clock;
    private final SamplingTopics topics;
    private final EventPublisher publisher;
    private final SamplingLifecycle lifecycle;
    private final AnswerRouter answers;
    private final FailureSignal failures;
    /** Set by {@link #drain} on the stopping thread, read where requests are submitted. */
    private volatile boolean stopping;
    private final PendingQuota pendingQuota;
    private final Tracer tracer;

    /**
     * @param lifecycle concludes the requests submitted here; {@code answers} must hand it their answers
     * @param answers this instance's answers; closed with the dispatcher
     * @param failures where the answer reader reports that it died
     * @param tracer what records each request's spans
     */
    SamplingDispatcher(String instanceId, SamplingLimits limits, Clock clock, SamplingTopics topics,
            EventPublisher publisher, SamplingLifecycle lifecycle, AnswerRouter answers, FailureSignal failures,
            Tracer tracer) {
        this.failures = failures;
        this.tracer = tracer;
        this.pendingQuota = new PendingQuota(limits);
        this.instanceId = instanceId;
        this.limits = limits;
        this.clock = clock;
        this.topics = topics;
        this.publisher = publisher;
        this.lifecycle = lifecycle;
        this.answers = answers;
    }

    /** Creates the topics if missing, connects to Kafka and starts listening for answers. Blocking: call at start-up. */
    public static SamplingDispatcher start(KafkaSettings kafka, String instanceId, SamplingLimits limits,
            Telemetry telemetry) {
        ServiceMetrics metrics = telemetry.metrics();
        SamplingTopics topics = kafka.samplingTopics();
        SchemaRegistryClient registry = kafka.newRegistryClient();
        TopicProvisioning.prepare(kafka, Service.BROKER, registry, STARTUP_TIMEOUT);
        FailureSignal failures = new FailureSignal("broker " + instanceId);
        Clock clock = Clock.systemUTC();
        EventPublisher publisher = EventPublisher.connect(kafka, topics, registry);
        PipelineLoad load = new PipelineLoad(limits.shedDelay(), clock);
        SamplingLifecycle lifecycle = new SamplingLifecycle(clock, new ExecutorDeadlineScheduler(), publisher,
                topics.lifecycle().name(), new RequestMetrics(metrics, clock), load);
        AnswerRouter answers;
        try {
            // a request can wait up to its deadline, or a task's ttl; a minute more for the clocks of the machines
            Duration lookback = max(limits.deadline(), limits.maxTaskTtl()).plusMinutes(1);
            OrphanSweep.run(kafka, topics, registry, instanceId, lookback, publisher, clock, STARTUP_TIMEOUT);
            String deadLetters = topics.deadLetters().name();
            DeadLetterMeter deadLetterMeter = new DeadLetterMeter(metrics);
            answers = AnswerRouter.connect(kafka, topics, registry, instanceId, lifecycle::answer,
                    (unreadable, reason) -> publisher.deadLetter(deadLetters, unreadable, reason).thenRun(() ->
                            deadLetterMeter.setAside(unreadable.topicPartition().topic(), unreadable.getCause()))
                            .whenComplete(
                            (written, error) -> {
                                if (error != null) {
                                    LOG.error("Could not set aside an unreadable answer: {}", error.toString());
                                }
                            }), failures);
        } catch (RuntimeException e) {
            lifecycle.close();
            publisher.close();
            throw e;
        }
        answers.start();
        Gauge.builder("sampling.pending.requests", lifecycle, SamplingLifecycle::pendingCount)
                .description("Sampling requests waiting for their outcome on this broker instance")
                .register(metrics.registry());
        Gauge.builder("sampling.pipeline.behind", load, l -> Math.max(0, l.behindMillis()) / 1000.0)
                .description("How far behind the pipeline is while this instance sheds load; 0 when it does not")
                .baseUnit("seconds").register(metrics.registry());
        LOG.info("Sampling dispatcher {} ready (deadline {} s, requests up to {} bytes, topics {}*)", instanceId,
                limits.deadline().toSeconds(), limits.maxRequestBytes(), kafka.topics().prefix());
        return new SamplingDispatcher(instanceId, limits, clock, topics, publisher, lifecycle, answers, failures,
                telemetry.tracing().tracer());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** This instance's id: answers are routed to it. */
    public String instanceId() {
        return instanceId;
    }

    public SamplingLimits limits() {
        return limits;
    }

    /**
     * The instance is stopping: a request the server makes on its own from now on (not while serving a host's call,
     * not an input a 2026-07-28 call needs) is refused (recorded, and answered {@code -32004}), and this waits until
     * the pending ones have their outcome, at most {@code timeout}; returns how many are still pending then (those
     * {@link #close()} abandons). Blocking: call from the stopping thread.
     */
    public int drain(Duration timeout) {
        stopping = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return pendingCount();
    }

    /** Number of requests waiting for an outcome on this instance. */
    public int pendingCount() {
        return lifecycle.pendingCount();
    }

    /**
     * Accepts a server's {@code sampling/createMessage} request. The outcome completes once with the reply to send
     * to the server: a result, a JSON-RPC error (invalid params, denial, failure, expiry), or no reply (cancelled).
     */
    public CompletionStage<SamplingOutcome> submit(SamplingOrigin origin, JsonRpcMessage request) {
        return submit(origin, request, limits.deadline()).outcome();
    }

    /** A request accepted for sampling: its id, and the outcome to come. */
    public record Submitted(String requestId, CompletionStage<SamplingOutcome> outcome) {
    }

    /**
     * Accepts a request that may wait {@code waitFor} for its outcome instead of the synchronous deadline: a task's
     * ttl, during which a reviewer may take minutes.
     */
    public Submitted submit(SamplingOrigin origin, JsonRpcMessage request, Duration waitFor) {
        String requestId = RandomIds.requestId();
        return new Submitted(requestId, submit(requestId, origin, request, waitFor));
    }

    private CompletionStage<SamplingOutcome> submit(String requestId, SamplingOrigin origin, JsonRpcMessage request,
            Duration waitFor) {
        RequestTrace trace = RequestTrace.start(tracer, TraceHeaders.fromTraceParent(traceParent(origin, request)),
                requestId, origin);
        PendingRequest pending = new PendingRequest(context(requestId, trace.traceId(), origin, request.idJson(),
                clock.instant(), waitFor), trace);
        try (LogContext ignored = LogContext.of(pending.context)) {
            return accept(pending, origin, request);
        }
    }

    private CompletionStage<SamplingOutcome> accept(PendingRequest pending, SamplingOrigin origin,
            JsonRpcMessage request) {
        String requestId = pending.requestId();
        if (stopping && origin.triggeringCall() == null && origin.inputRequest() == null) {
            // new work of the server's own; a request made while serving a host's call is part of work under way
            LOG.info("Sampling request {} from server {} refused: the broker instance is stopping", requestId,
                    origin.serverName());
            return refused(pending, origin, request, RefusalReason.BROKER_STOPPING, "broker instance " + instanceId
                    + " is stopping", SamplingReplies.stopping(pending));
        }
        int size = utf8Length(request.text());
        if (size > limits.maxRequestBytes()) {
            LOG.info("Sampling request {} from server {} refused: {} bytes, limit {}", requestId, origin.serverName(),
                    size, limits.maxRequestBytes());
            return refused(pending, origin, request, RefusalReason.TOO_LARGE, size + " bytes, more than the "
                    + limits.maxRequestBytes() + " of broker.sampling.max.request.bytes",
                    SamplingReplies.tooLarge(pending, size, limits.maxRequestBytes()));
        }
        CreateMessageParams params;
        try {
            params = params(request);
        } catch (InvalidSamplingJsonException e) {
            LOG.info("Sampling request {} from server {} rejected: invalid params at {}", requestId,
                    origin.serverName(), e.pointer());
            return refused(pending, origin, request, RefusalReason.INVALID_PARAMS, e.getMessage(),
                    SamplingReplies.invalidParams(pending, e));
        }
        long behind = lifecycle.load().behindMillis();
        if (behind >= 0) {
            // debug: under overload this is every request, and the refusal event records each one
            LOG.debug("Sampling request {} from server {} refused: the pipeline is {} ms behind", requestId,
                    origin.serverName(), behind);
            SamplingOutcome.Reply reply = SamplingReplies.overloaded(pending, behind, limits.shedDelay().toMillis());
            return refused(pending, origin, request, RefusalReason.OVERLOADED, "answers wait " + behind
                    + " ms in the pipeline, more than broker.sampling.shed.delay.ms=" + limits.shedDelay().toMillis(),
                    reply);
        }
        String hostKey = origin.host().key();
        String full = pendingQuota.take(origin.sessionId(), hostKey);
        if (full != null) {
            LOG.info("Sampling request {} from server {} for host {} refused: {}", requestId, origin.serverName(),
                    origin.hostId(), full);
            return refused(pending, origin, request, RefusalReason.PENDING_LIMIT, full,
                    SamplingReplies.limitReached(pending, full));
        }
        pending.outcome.whenComplete((outcome, failure) -> pendingQuota.give(origin.sessionId(), hostKey));
        lifecycle.await(pending);
        SamplingRequested event = SamplingRequested.newBuilder()
                .setContext(pending.context)
                .setOccurredAt(pending.context.getRequestedAt())
                .setParams(params)
                .setProtocolVersion(origin.serverProtocolVersion())
                .setHostProtocolVersion(origin.hostProtocolVersion())
                .setHostDeclaredSamplingTools(true)
                .setHostDeclaredSamplingContext(false)
                .setHostSampling(origin.hostSampling())
                .setHostLabel(origin.host().label())
                .setTriggeringToolCall(origin.triggeringCall())
                .setInputRequest(origin.inputRequest())
                .build();
        LOG.debug("Sampling request {} from server {} for host {} ({} messages, maxTokens {})", requestId,
                origin.serverName(), origin.hostId(), params.getMessages().size(), params.getMaxTokens());
        publisher.publish(topics.requests().name(), requestId, event, pending.chain, pending.trace)
                .whenComplete((ack, failure) -> {
            if (failure != null) {
                LOG.error("Sampling request {} could not be published: {}", requestId, failure.toString());
                // the refusal stands in for the request event, so the delivery of the error follows a written event
                recordRefusal(pending, origin, request, RefusalReason.NOT_RECORDED, SamplingErrors.REQUEST_NOT_RECORDED,
                        Refusals.describe(failure));
                lifecycle.refuse(pending, failure);
            }
        });
        return pending.outcome;
    }

    private CompletionStage<SamplingOutcome> refused(PendingRequest pending, SamplingOrigin origin,
            JsonRpcMessage request, RefusalReason reason, String detail, SamplingOutcome.Reply reply) {
        recordRefusal(pending, origin, request, reason, reply.errorCode(), detail);
        pending.trace.replying(reply.errorCode());
        return CompletableFuture.completedFuture(reply);
    }

    /**
     * Records a request the pipeline will never see, in place of its request event: the broker's answer to it (the
     * delivery that follows) then has its cause in the history.
     */
    private void recordRefusal(PendingRequest pending, SamplingOrigin origin, JsonRpcMessage request,
            RefusalReason reason, int errorCode, String detail) {
        lifecycle.metrics().refused(reason);
        SamplingRefused event = Refusals.of(pending.context, clock.instant(), reason, errorCode, detail,
                request.text(), origin.serverProtocolVersion());
        publisher.publishFirst(topics.requests().name(), pending.requestId(), event, pending.chain, pending.trace)
                .whenComplete((ack, failure) -> {
                    if (failure != null) {
                        LOG.error("The refusal of sampling request {} ({}) could not be recorded: {}",
                                pending.requestId(), reason, failure.toString());
                    }
                });
    }

    /** UTF-8 length without encoding: a multi-megabyte prompt is measured in one pass. */
    static int utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2; // a surrogate pair: 2 chars, 4 bytes
            }
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE);
    }

    private static CreateMessageParams params(JsonRpcMessage request) {
        if (request.params() == null) {
            throw new InvalidSamplingJsonException("", "sampling/createMessage needs params");
        }
        // One Jackson parse of the text as received (re-encoding Vert.x's tree first doubled the cost).
        return SamplingParamsJson.fromJson(McpJson.parse(request.text()).get("params"));
    }

    /**
     * The trace a request joins: the one the server's request names in its {@code _meta.traceparent} (it knows which
     * of its operations asks), else the host call's it was serving; none makes a trace of its own.
     */
    private static String traceParent(SamplingOrigin origin, JsonRpcMessage request) {
        if (request.params() != null && request.params().getValue("_meta") instanceof JsonObject meta
                && meta.getValue("traceparent") instanceof String traceParent) {
            return traceParent;
        }
        return origin.traceParent();
    }

    private SamplingContext context(String requestId, String traceId, SamplingOrigin origin, String jsonRpcIdJson,
            Instant now, Duration waitFor) {
        return SamplingContext.newBuilder()
                .setRequestId(requestId)
                .setTraceId(traceId)
                .setHostId(origin.hostId())
                .setTenant(origin.host().tenant())
                .setServerName(origin.serverName())
                .setSessionId(origin.sessionId())
                .setJsonRpcId(jsonRpcIdJson)
                .setRequestedAt(now)
                .setDeadline(now.plus(waitFor))
                .setReplyRoute(new ReplyRoute(instanceId, topics.results().name(), null))
                .build();
    }

    /**
     * Records the host's answer to a request the policy forwarded to it (its JSON-RPC response, with any id) on the
     * completions topic, and waits for it as for a model's: the outcome is the reply for the server, or the reviewer's
     * when the decision asked for response review. Call it on the instance that holds the server's side of the call
     * (the host's retry, for a 2026-07-28 host); an answer after the deadline is not recorded, and the request expires.
     */
    public CompletionStage<SamplingOutcome> hostAnswered(ForwardedRequest forward, JsonRpcMessage response) {
        return recordHostAnswer(forward, context -> HostAnswers.of(context, response, clock.instant(),
                forward.forwardedAt()));
    }

    /** The host did not answer a forwarded request (it failed, or its answer cannot be read): recorded as a failure. */
    public CompletionStage<SamplingOutcome> hostDidNotAnswer(ForwardedRequest forward, String reason) {
        return recordHostAnswer(forward, context -> HostAnswers.none(context, reason, clock.instant()));
    }

    /** The server cancelled a request that was with the host: recorded as cancelled, nothing is sent to it. */
    public void forwardCancelled(ForwardedRequest forward, String reason) {
        PendingRequest pending = adopt(forward);
        lifecycle.cancel(pending.context.getSessionId(), pending.context.getJsonRpcId(), reason, CancelledBy.SERVER);
    }

    /** The session of a request that was with the host went away: recorded as abandoned. */
    public void forwardAbandoned(ForwardedRequest forward, String reason) {
        lifecycle.abandon(adopt(forward), reason);
    }

    private CompletionStage<SamplingOutcome> recordHostAnswer(ForwardedRequest forward,
            Function<SamplingContext, SpecificRecord> answer) {
        PendingRequest pending = adopt(forward);
        if (!clock.instant().isBefore(pending.context.getDeadline())) {
            lifecycle.expire(pending); // too late to be an answer
            return pending.outcome;
        }
        SpecificRecord event = answer.apply(pending.context);
        LOG.info("Sampling request {} answered by host {}: {}", forward.requestId(), pending.context.getHostId(),
                event instanceof SamplingFailed failed ? failed.getErrorCode() : "a result");
        publisher.publish(topics.completions().name(), forward.requestId(), event, pending.chain, pending.trace)
                .whenComplete((ack, failure) -> {
                    if (failure != null) {
                        LOG.error("Host answer to sampling request {} could not be recorded: {}", forward.requestId(),
                                failure.toString());
                        lifecycle.refuse(pending, failure);
                    }
                });
        return pending.outcome;
    }

    /**
     * Waits here again for a request that was with the host: the answer is routed to this instance (the one that
     * holds the server's side now), and follows the forward instruction in the chain.
     */
    private PendingRequest adopt(ForwardedRequest forward) {
        PendingRequest pending = new PendingRequest(ReplyRoutes.toInstance(forward.context(), instanceId),
                RequestTrace.continuing(tracer, forward.traceParent(), forward.context()));
        pending.chain.advance(forward.followsHash());
        lifecycle.await(pending);
        return pending;
    }

    /**
     * The server cancelled its request ({@code notifications/cancelled}): nothing will be sent to it, and a
     * cancelled event tells the workers to skip it. Unknown ids are ignored, as MCP asks.
     *
     * @return whether the id named a sampling request pending here
     */
    public boolean cancel(String sessionId, String jsonRpcIdJson, String reason) {
        return cancel(sessionId, jsonRpcIdJson, reason, CancelledBy.SERVER);
    }

    /** As above, by someone else than the server: the host that closed its call, or that delegated the request. */
    public boolean cancel(String sessionId, String jsonRpcIdJson, String reason, CancelledBy by) {
        return lifecycle.cancel(sessionId, jsonRpcIdJson, reason, by);
    }

    /** The session went away: its pending requests can no longer be answered. */
    public void abandonSession(String sessionId, String reason) {
        lifecycle.abandonSession(sessionId, reason);
    }

    /** Records that the reply reached the server. */
    public void delivered(SamplingOutcome.Reply reply) {
        lifecycle.delivered(reply);
    }

    /** The reply could not be written to the server: counted, as the server got no answer. */
    public void undelivered(SamplingOutcome.Reply reply) {
        lifecycle.metrics().undelivered(reply);
        reply.trace().delivered(false);
    }

    /**
     * Completes when the answer reader dies: no answer could reach this instance's sessions any more, so the broker
     * must stop rather than accept requests that would all expire.
     */
    public CompletionStage<VitalPartFailure> failed() {
        return failures.failed();
    }

    @Override
    public void close() {
        failures.closing();
        lifecycle.close();
        answers.close();
        publisher.close();
    }
}
