package io.samplingbroker.broker.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.runtime.KafkaSettings;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.json.SamplingResultJson;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;

/**
 * The sampling side of every broker transport: turns a server's {@code sampling/createMessage} into a
 * {@link SamplingRequested} event, waits for its result from the results topic, and answers with a result, an
 * error, or nothing (cancelled). Owns the deadline of each pending request and the lifecycle events.
 * Thread-safe; never blocks its callers.
 */
public final class SamplingDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SamplingDispatcher.class);

    private final String instanceId;
    private final Duration deadline;
    private final Clock clock;
    private final SamplingTopics topics;
    private final EventPublisher publisher;
    private final ResultRouter router;
    private final Map<String, PendingRequest> pendingById = new ConcurrentHashMap<>();
    private final Map<String, PendingRequest> pendingBySessionKey = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sampling-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private SamplingDispatcher(String instanceId, Duration deadline, Clock clock, SamplingTopics topics,
            EventPublisher publisher, ResultRouter router) {
        this.instanceId = instanceId;
        this.deadline = deadline;
        this.clock = clock;
        this.topics = topics;
        this.publisher = publisher;
        this.router = router;
    }

    /** Creates the topics if missing, connects to Kafka and starts listening for results. Blocking: call at start-up. */
    public static SamplingDispatcher start(KafkaSettings kafka, String instanceId, Duration deadline) throws Exception {
        SamplingTopics topics = kafka.samplingTopics();
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        SchemaRegistryClient registry = kafka.newRegistryClient();
        EventPublisher publisher = new EventPublisher(kafka, topics, registry);
        SamplingDispatcher[] self = new SamplingDispatcher[1];
        ResultRouter router;
        try {
            router = new ResultRouter(kafka, topics.results(), registry, instanceId,
                    (result, hash) -> self[0].onResult(result, hash));
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        self[0] = new SamplingDispatcher(instanceId, deadline, Clock.systemUTC(), topics, publisher, router);
        router.start();
        LOG.info("Sampling dispatcher {} ready (deadline {} s, topics {}*)", instanceId, deadline.toSeconds(),
                topics.requests().name().replace("requests", ""));
        return self[0];
    }

    public String instanceId() {
        return instanceId;
    }

    /** Number of requests waiting for an outcome on this instance. */
    public int pendingCount() {
        return pendingById.size();
    }

    /**
     * Accepts a server's {@code sampling/createMessage} request. The outcome completes once with the reply to send
     * to the server: a result, a JSON-RPC error (invalid params, denial, failure, expiry), or no reply (cancelled).
     */
    public CompletionStage<SamplingOutcome> submit(SamplingOrigin origin, JsonRpcMessage request) {
        String idJson = request.idJson();
        String requestId = newRequestId();
        CreateMessageParams params;
        try {
            if (request.params() == null) {
                throw new InvalidSamplingJsonException("", "sampling/createMessage needs params");
            }
            // One Jackson parse of the text as received (re-encoding Vert.x's tree first doubled the cost).
            params = SamplingParamsJson.fromJson(McpJson.parse(request.text()).get("params"));
        } catch (InvalidSamplingJsonException e) {
            LOG.info("Sampling request {} from server {} rejected: invalid params at {}", requestId,
                    origin.serverName(), e.pointer());
            return CompletableFuture.completedFuture(new SamplingOutcome.Reply(requestId, null, JsonRpc.error(idJson,
                    SamplingErrors.INVALID_PARAMS, "Invalid sampling/createMessage params: " + e.getMessage(), null),
                    SamplingErrors.INVALID_PARAMS));
        }
        Instant now = clock.instant();
        SamplingContext context = SamplingContext.newBuilder()
                .setRequestId(requestId)
                .setTraceId(newTraceId())
                .setHostId(origin.hostId())
                .setServerName(origin.serverName())
                .setSessionId(origin.sessionId())
                .setJsonRpcId(idJson)
                .setRequestedAt(now)
                .setDeadline(now.plus(deadline))
                .setReplyRoute(new ReplyRoute(instanceId, topics.results().name(), null))
                .build();
        PendingRequest pending = new PendingRequest(context);
        pendingById.put(requestId, pending);
        pendingBySessionKey.put(pending.sessionKey(), pending);
        pending.expiry = timers.schedule(() -> expire(requestId), deadline.toMillis(), TimeUnit.MILLISECONDS);
        SamplingRequested event = SamplingRequested.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setParams(params)
                .setProtocolVersion(origin.protocolVersion())
                .setHostDeclaredSamplingTools(true)
                .setHostDeclaredSamplingContext(false)
                .setTriggeringToolCall(origin.triggeringToolCall())
                .build();
        LOG.debug("Sampling request {} from server {} for host {} ({} messages, maxTokens {})", requestId,
                origin.serverName(), origin.hostId(), params.getMessages().size(), params.getMaxTokens());
        publisher.publish(topics.requests().name(), requestId, event, pending.chain).whenComplete((ack, failure) -> {
            if (failure != null) {
                LOG.error("Sampling request {} could not be published: {}", requestId, failure.toString());
                conclude(requestId, new SamplingOutcome.Reply(requestId, context, JsonRpc.error(idJson,
                        SamplingErrors.BROKER_UNAVAILABLE, SamplingErrors.BROKER_UNAVAILABLE_MESSAGE
                                + ": the request could not be recorded (" + failure.getMessage() + ")", null),
                        SamplingErrors.BROKER_UNAVAILABLE, pending.chain));
            }
        });
        return pending.outcome;
    }

    /**
     * The server cancelled its request ({@code notifications/cancelled}): nothing will be sent to it, and a
     * cancelled event tells the workers to skip it. Unknown ids are ignored, as MCP asks.
     *
     * @return whether the id named a sampling request pending here
     */
    public boolean cancel(String sessionId, String jsonRpcIdJson, String reason) {
        PendingRequest pending = pendingBySessionKey.get(PendingRequest.key(sessionId, jsonRpcIdJson));
        if (pending == null) {
            return false;
        }
        String requestId = pending.context.getRequestId();
        if (conclude(requestId, new SamplingOutcome.NoReply(requestId, reason),
                new SamplingCancelled(pending.context, clock.instant(), CancelledBy.SERVER, reason))) {
            LOG.info("Sampling request {} cancelled by server {}", requestId, pending.context.getServerName());
        }
        return true;
    }

    /** The session went away: its pending requests can no longer be answered. */
    public void abandonSession(String sessionId, String reason) {
        for (PendingRequest pending : pendingById.values()) {
            if (pending.context.getSessionId().equals(sessionId)) {
                String requestId = pending.context.getRequestId();
                conclude(requestId, new SamplingOutcome.NoReply(requestId, reason),
                        new SamplingAbandoned(pending.context, clock.instant(), reason));
            }
        }
    }

    /** Records that the reply reached the server (requests refused before being recorded have no history). */
    public void delivered(SamplingOutcome.Reply reply) {
        if (reply.context() != null) {
            publishLifecycle(reply.requestId(), new SamplingDelivered(reply.context(), clock.instant(), reply.errorCode()),
                    reply.chain());
        }
    }

    private void onResult(SamplingResolved result, byte[] resultHash) {
        String requestId = result.getContext().getRequestId();
        PendingRequest pending = pendingById.get(requestId);
        if (pending == null) {
            LOG.debug("Result for request {} arrived after it was concluded (expired, cancelled or duplicate); ignored",
                    requestId);
            return;
        }
        String idJson = pending.context.getJsonRpcId();
        pending.chain.advance(resultHash); // the delivery follows the answer it delivers
        SamplingOutcome.Reply reply;
        if (result.getCreateMessageResult() != null) {
            reply = new SamplingOutcome.Reply(requestId, pending.context, JsonRpc.result(idJson,
                    SamplingResultJson.toJson(result.getCreateMessageResult()).toString()), null, pending.chain);
        } else if (result.getError() != null) {
            reply = new SamplingOutcome.Reply(requestId, pending.context, JsonRpc.error(idJson, result.getError().getCode(),
                    result.getError().getMessage(), result.getError().getData()), result.getError().getCode(),
                    pending.chain);
        } else {
            reply = new SamplingOutcome.Reply(requestId, pending.context, JsonRpc.error(idJson, SamplingErrors.INTERNAL_ERROR,
                    "Sampling result carried neither a result nor an error", null), SamplingErrors.INTERNAL_ERROR,
                    pending.chain);
        }
        conclude(requestId, reply);
    }

    private void expire(String requestId) {
        PendingRequest pending = pendingById.get(requestId);
        if (pending == null) {
            return;
        }
        SamplingOutcome.Reply reply = new SamplingOutcome.Reply(requestId, pending.context,
                JsonRpc.error(pending.context.getJsonRpcId(), SamplingErrors.SAMPLING_EXPIRED,
                        SamplingErrors.SAMPLING_EXPIRED_MESSAGE + " (deadline " + deadline.toSeconds() + " s)", null),
                SamplingErrors.SAMPLING_EXPIRED, pending.chain);
        if (conclude(requestId, reply, new SamplingExpired(pending.context, clock.instant(), null))) {
            LOG.info("Sampling request {} expired after {} s", requestId, deadline.toSeconds());
        }
    }

    private boolean conclude(String requestId, SamplingOutcome outcome) {
        return conclude(requestId, outcome, null);
    }

    /**
     * Completes a pending request exactly once; false if something else concluded it first. The lifecycle event
     * that explains the outcome is queued before the outcome is released, so it precedes the delivered event.
     */
    private boolean conclude(String requestId, SamplingOutcome outcome, Object lifecycleEvent) {
        PendingRequest pending = pendingById.remove(requestId);
        if (pending == null) {
            return false;
        }
        pendingBySessionKey.remove(pending.sessionKey(), pending);
        if (pending.expiry != null) {
            pending.expiry.cancel(false);
        }
        if (lifecycleEvent != null) {
            publishLifecycle(requestId, lifecycleEvent, pending.chain);
        }
        pending.outcome.complete(outcome);
        return true;
    }

    private void publishLifecycle(String requestId, Object event, ChainHead chain) {
        publisher.publish(topics.lifecycle().name(), requestId, event, chain).whenComplete((ack, failure) -> {
            if (failure != null) {
                LOG.error("Lifecycle event {} for request {} could not be written: {}",
                        event.getClass().getSimpleName(), requestId, failure.toString());
            }
        });
    }

    /** A random (version 4) UUID; ids need uniqueness, not secrecy, so no SecureRandom on the hot path. */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static String newTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex16(random.nextLong()) + hex16(random.nextLong());
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }

    @Override
    public void close() {
        abandonAll();
        router.close();
        publisher.close();
        timers.shutdownNow();
    }

    private void abandonAll() {
        for (PendingRequest pending : pendingById.values()) {
            String requestId = pending.context.getRequestId();
            conclude(requestId, new SamplingOutcome.NoReply(requestId, "broker stopping"),
                    new SamplingAbandoned(pending.context, clock.instant(), "broker stopping"));
        }
    }
}
