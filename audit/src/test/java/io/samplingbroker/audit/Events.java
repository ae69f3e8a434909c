package io.samplingbroker.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.samplingbroker.audit.replay.ReplayOptions;
import io.samplingbroker.audit.replay.ReplayStats;
import io.samplingbroker.audit.replay.TimelineAssembler;
import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.EventMapper;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.audit.timeline.TimelineFilter;
import io.samplingbroker.audit.verify.AuditCheck;
import io.samplingbroker.audit.verify.AuditScope;
import io.samplingbroker.audit.verify.Findings;
import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.RefusalReason;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewVerdict;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicsConfig;

/**
 * Hand-built sampling events for unit tests, and a small replay of them: each record is given its role and time,
 * and is mapped and assembled exactly as the real replay does after decoding.
 */
final class Events {

    static final Instant T0 = Instant.parse("2026-11-17T10:00:00Z");
    /** The topics the records are "read" from: prefix {@code sampling.}, as in {@link #context(String)}'s route. */
    static final SamplingTopics TOPICS = new SamplingTopics(TopicsConfig.defaults());

    final List<Timeline> timelines = new ArrayList<>();
    final Findings findings = new Findings();
    final ReplayStats stats = new ReplayStats();
    private final TimelineAssembler assembler;
    private final EventMapper mapper;
    private long offset;

    Events(AuditScope scope, TimelineFilter filter, List<AuditCheck> checks, boolean showContent) {
        ReplayOptions options = new ReplayOptions(scope, filter, java.time.Duration.ofSeconds(60),
                java.time.Duration.ofMinutes(15), java.time.Duration.ofSeconds(5), showContent);
        this.assembler = new TimelineAssembler(0, options, checks, findings, stats, timelines::add);
        this.mapper = new EventMapper(showContent, TOPICS);
    }

    /** No range, no filter, now = T0 + 1 h (so deadlines of T0 requests have passed), grace 2 min. */
    static Events replay(AuditCheck... checks) {
        return new Events(scope(null), TimelineFilter.none(), List.of(checks), false);
    }

    static AuditScope scope(Instant from) {
        return new AuditScope(from, null, T0.plusSeconds(3600), java.time.Duration.ofMinutes(2));
    }

    /** Feeds a record of {@code role} written {@code millis} after T0. */
    Events add(String role, long millis, Object value) {
        long timestamp = T0.toEpochMilli() + millis;
        AuditEvent event = mapper.map(value, "sampling." + role, 0, offset++, timestamp);
        SamplingContext context = EventContexts.of(value);
        String id = context != null ? context.getRequestId() : ((ReviewCommand) value).getRequestId();
        assembler.accept(id, event, context);
        return this;
    }

    Events finish() {
        assembler.finish();
        return this;
    }

    Timeline only() {
        if (timelines.size() != 1) {
            throw new AssertionError("expected one timeline, got " + timelines.size());
        }
        return timelines.get(0);
    }

    // ---- records ----

    static SamplingContext context(String id) {
        return context(id, "vscode-alice", "everything", T0, T0.plusSeconds(30));
    }

    static SamplingContext context(String id, String host, String server, Instant requestedAt, Instant deadline) {
        return SamplingContext.newBuilder().setRequestId(id).setTraceId("0af7651916cd43dd8448eb211c80319c")
                .setHostId(host).setServerName(server).setSessionId("session-1").setJsonRpcId("7")
                .setRequestedAt(requestedAt).setDeadline(deadline)
                .setReplyRoute(new ReplyRoute("broker-1", "sampling.results", null)).build();
    }

    /** The context as the approval-worker routes it when a reviewer must see the response first. */
    static SamplingContext viaReview(SamplingContext c) {
        return ReplyRoutes.viaReview(c, TOPICS);
    }

    /** The context routed back to the broker, as a reviewer's result carries it. */
    static SamplingContext toBroker(SamplingContext c) {
        return ReplyRoutes.toBroker(c, TOPICS);
    }

    static CreateMessageParams params(String prompt, long maxTokens) {
        return CreateMessageParams.newBuilder().setMaxTokens(maxTokens).setMessages(List.of(SamplingMessage.newBuilder()
                .setRole(Role.user).setContent(List.of(new TextContent(prompt, null, null, null))).build())).build();
    }

    static CreateMessageResult result(String text, String model) {
        return CreateMessageResult.newBuilder().setRole(Role.assistant)
                .setContent(List.of(new TextContent(text, null, null, null))).setModel(model).setStopReason("endTurn")
                .build();
    }

    static SamplingRequested requested(SamplingContext c, String prompt) {
        return SamplingRequested.newBuilder().setContext(c).setOccurredAt(c.getRequestedAt())
                .setParams(params(prompt, 100)).build();
    }

    static SamplingDecided decided(SamplingContext c, long millis, Decision decision, DeciderKind kind, String name,
            String reason, List<String> changes) {
        return SamplingDecided.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis)).setDecision(decision)
                .setDecidedBy(new Decider(kind, name)).setReason(reason).setChanges(changes)
                .setEffectiveParams(decision == Decision.APPROVED || decision == Decision.AMENDED
                        || decision == Decision.FORWARDED ? params("p", 100) : null)
                .build();
    }

    static ReviewCommand command(SamplingContext c, long millis, ReviewStage stage, ReviewAction action, String reviewer) {
        return ReviewCommand.newBuilder().setRequestId(c.getRequestId()).setCommandId("cmd-" + millis).setStage(stage)
                .setAction(action).setReviewer(reviewer).setSubmittedAt(T0.plusMillis(millis)).build();
    }

    static SamplingCompleted completed(SamplingContext c, long millis, String model, long in, long out) {
        return SamplingCompleted.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis))
                .setCreateMessageResult(result("[" + model + "] answer", model)).setProvider("offline")
                .setUsage(new TokenUsage(in, out, null)).setLatencyMillis(3).build();
    }

    static SamplingFailed failed(SamplingContext c, long millis, String code) {
        return SamplingFailed.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis)).setStage("model-worker")
                .setErrorCode(code).setMessage("provider unreachable").setProvider("broken").build();
    }

    static SamplingResolved resolvedResult(SamplingContext c, long millis, String model) {
        return SamplingResolved.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis))
                .setCreateMessageResult(result("answer", model)).setResolvedBy("model-worker").build();
    }

    /** The approval-worker's instruction to forward the request to the host: not an answer. */
    static SamplingResolved forwardToHost(SamplingContext c, long millis) {
        return SamplingResolved.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis))
                .setForwardToHost(params("p", 100)).setResolvedBy("approval-worker").build();
    }

    /** The host's answer to a forwarded request, as the broker records it. */
    static SamplingCompleted completedByHost(SamplingContext c, long millis, String model) {
        return SamplingCompleted.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis))
                .setCreateMessageResult(result("[" + model + "] host answer", model)).setProvider("host")
                .setUsage(new TokenUsage(null, null, null)).setLatencyMillis(900).build();
    }

    /** A reviewer's release of a response routed to review: the (possibly edited) result, with the verdict. */
    static SamplingResolved resolvedReviewed(SamplingContext c, long millis, String model, ReviewVerdict review) {
        return SamplingResolved.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis))
                .setCreateMessageResult(result("answer", model)).setResolvedBy("reviewer").setReview(review).build();
    }

    static SamplingResolved resolvedError(SamplingContext c, long millis, int code, String by, ReviewVerdict review) {
        return SamplingResolved.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis))
                .setError(new JsonRpcError(code, "error " + code, null)).setResolvedBy(by).setReview(review).build();
    }

    static ReviewVerdict verdict(String reviewer, long millis, ReviewAction action, List<String> changes) {
        return new ReviewVerdict("cmd-" + millis, reviewer, T0.plusMillis(millis), action, "not appropriate", changes);
    }

    static SamplingDelivered delivered(SamplingContext c, long millis, Integer errorCode) {
        return new SamplingDelivered(c, T0.plusMillis(millis), errorCode);
    }

    static SamplingRefused refused(SamplingContext c, long millis, RefusalReason reason, int errorCode) {
        return SamplingRefused.newBuilder().setContext(c).setOccurredAt(T0.plusMillis(millis)).setReason(reason)
                .setErrorCode(errorCode).setDetail("8388700 bytes, more than the 1000000 of broker.sampling.max.request.bytes")
                .setRequestBytes(8_388_700).setRequestSha256("0f".repeat(32)).build();
    }

    static SamplingCancelled cancelled(SamplingContext c, long millis) {
        return new SamplingCancelled(c, T0.plusMillis(millis), CancelledBy.SERVER, "server gave up");
    }

    static SamplingExpired expired(SamplingContext c, long millis) {
        return new SamplingExpired(c, T0.plusMillis(millis), null);
    }

    static final String REQUESTS = SamplingTopics.REQUESTS;
    static final String DECISIONS = SamplingTopics.DECISIONS;
    static final String COMMANDS = SamplingTopics.REVIEW_COMMANDS;
    static final String COMPLETIONS = SamplingTopics.COMPLETIONS;
    static final String RESULTS = SamplingTopics.RESULTS;
    static final String LIFECYCLE = SamplingTopics.LIFECYCLE;
}
