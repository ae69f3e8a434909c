package io.samplingbroker.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Calls;
import io.samplingbroker.broker.mcp.Capabilities;
import io.samplingbroker.broker.mcp.InputCall;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.sampling.SamplingOrigin;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.samplingbroker.broker.tasks.SamplingTasks;
import io.samplingbroker.broker.upstream.UpstreamConnection;
import io.samplingbroker.events.HostSampling;
import io.samplingbroker.events.InputRequestRef;
import io.vertx.core.json.JsonObject;

/**
 * One 2025-era host session relayed to one upstream server, whatever the transports and whatever the server's era
 * (a 2026-07-28 server is reached through a {@link io.samplingbroker.broker.upstream.SessionBridge}, which makes it
 * look like a legacy one). Every message passes through unchanged except three: the host's {@code initialize} gains
 * the {@code sampling} capability; the server's {@code sampling/createMessage} is answered by the broker (or, when
 * the policy forwards it, by the host through the broker: {@link HostForwards}); the server's
 * {@code notifications/cancelled} for such a request cancels it. The data path reads one way: host -> here ->
 * upstream, and upstream -> here -> host or dispatcher.
 */
public final class ProxySession {

    /** Delivers messages to the host, however the transport does it. */
    public interface HostChannel {
        void send(JsonRpcMessage message);

        /** Whether the host can be sent requests (and answer them) on this channel. */
        default boolean takesRequests() {
            return true;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProxySession.class);
    static final String SAMPLING_CREATE_MESSAGE = "sampling/createMessage";
    static final String CANCELLED = "notifications/cancelled";

    private final String sessionId;
    private final String serverName;
    private final UpstreamConnection upstream;
    private final SamplingDispatcher dispatcher;
    private final HostChannel host;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();
    private final Map<Object, CallInFlight> toolCallsInFlight = new ConcurrentHashMap<>();
    private final SamplingTasks tasks;
    private final HostForwards forwards;
    private volatile HostIdentity identity;
    private volatile String initializeIdJson;
    private volatile String protocolVersion;
    private volatile HostSampling hostSampling;
    private volatile Consumer<String> onClosed = reason -> { };

    /** @param identity who the host is; an id not known yet comes from its {@code initialize}'s {@code clientInfo} */
    public ProxySession(String sessionId, String serverName, HostIdentity identity, UpstreamConnection upstream,
            SamplingDispatcher dispatcher, HostChannel host) {
        this.sessionId = sessionId;
        this.serverName = serverName;
        this.identity = identity;
        this.upstream = upstream;
        this.dispatcher = dispatcher;
        this.host = host;
        this.tasks = new SamplingTasks(Clock.systemUTC(), upstream::send, dispatcher::delivered);
        this.forwards = new HostForwards(host);
    }

    public String sessionId() {
        return sessionId;
    }

    public CompletionStage<Void> start(Consumer<String> whenClosed) {
        this.onClosed = whenClosed;
        return upstream.start(this::fromServer, this::upstreamClosed);
    }

    /** A host's tool call the server is serving: what a sampling request made meanwhile is part of. */
    private record CallInFlight(String name, String traceParent) {
    }

    /** A message from the host, on its way to the server. */
    public CompletionStage<Void> fromHost(JsonRpcMessage message) {
        return fromHost(message, null);
    }

    /**
     * A message from the host that came with the W3C {@code traceparent} HTTP header {@code traceParent} (null if
     * none): a sampling request the server makes while serving it joins that trace.
     */
    public CompletionStage<Void> fromHost(JsonRpcMessage message, String traceParent) {
        if (message.kind() == JsonRpcMessage.Kind.RESPONSE && forwards.answer(message)) {
            return CompletableFuture.completedFuture(null); // the host answered a request the policy forwarded
        }
        JsonRpcMessage outgoing = message;
        if (message.isRequest("initialize")) {
            outgoing = withSamplingCapability(message);
        } else if (message.isRequest("tools/call") && message.params() != null) {
            toolCallsInFlight.put(message.id(), new CallInFlight(String.valueOf(message.params().getValue("name")),
                    Calls.traceParentOf(message, traceParent)));
        }
        return upstream.send(outgoing);
    }

    private JsonRpcMessage withSamplingCapability(JsonRpcMessage initialize) {
        JsonObject params = initialize.params() == null ? new JsonObject() : initialize.params().copy();
        String name = JsonMembers.string(JsonMembers.object(params, "clientInfo"), "name");
        if (name != null) {
            identity = identity.withClientName(name);
        }
        initializeIdJson = initialize.idJson();
        JsonObject capabilities = JsonMembers.object(params, "capabilities");
        hostSampling = host.takesRequests() ? Capabilities.samplingOf(capabilities) : null;
        params.put("capabilities", Capabilities.withSamplingTasks(Capabilities.withSampling(capabilities)));
        return JsonRpcMessage.of(initialize.json().copy().put("params", params));
    }

    /** The version the server's initialize result settles is the one both sides of the session speak. */
    private void noteNegotiatedVersion(JsonRpcMessage response) {
        if (response.idJson().equals(initializeIdJson) && response.json().getValue("result") instanceof JsonObject result) {
            protocolVersion = JsonMembers.string(result, "protocolVersion");
            String server = upstream.serverProtocolVersion();
            LOG.info("Session {} to server '{}': host speaks {}, server {}", sessionId, serverName, protocolVersion,
                    server == null ? protocolVersion : server);
        }
    }

    private void fromServer(JsonRpcMessage message) {
        if (message.isRequest(SAMPLING_CREATE_MESSAGE)) {
            intercept(message);
            return;
        }
        if (message.kind() == JsonRpcMessage.Kind.REQUEST && tasks.answers(message)) {
            tasks.answer(message, samplingIdJson -> dispatcher.cancel(sessionId, samplingIdJson,
                    "the server cancelled the task")).thenAccept(upstream::send);
            return;
        }
        if (message.isNotification(CANCELLED) && message.params() != null
                && message.params().containsKey("requestId")) {
            String idJson = io.vertx.core.json.Json.encode(message.params().getValue("requestId"));
            String reason = JsonMembers.string(message.params(), "reason");
            if (dispatcher.cancel(sessionId, idJson, reason) || forwards.cancelByServer(idJson, reason)) {
                return; // the host never saw that request, or the broker tells it under its own id
            }
        }
        if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
            toolCallsInFlight.remove(message.id());
            noteNegotiatedVersion(message);
        }
        host.send(message);
    }

    private void intercept(JsonRpcMessage request) {
        InputCall input = upstream.inputCall(request.idJson());
        // with several calls in flight, which one the server serves is unknown: none is named
        CallInFlight serving = toolCallsInFlight.size() == 1 ? toolCallsInFlight.values().iterator().next() : null;
        String triggering = input != null ? input.callName() : serving == null ? null : serving.name();
        String serverVersion = upstream.serverProtocolVersion();
        HostIdentity asker = identity.id() == null ? HostIdentity.selfNamed("unknown-host") : identity;
        SamplingOrigin origin = new SamplingOrigin(asker, serverName, sessionId, protocolVersion,
                serverVersion == null ? protocolVersion : serverVersion, triggering,
                input == null ? null : new InputRequestRef(input.inputKey(), input.callMethod(), input.round()),
                hostSampling, serving == null ? null : serving.traceParent());
        Duration taskTtl = SamplingTasks.taskTtl(request, dispatcher.limits().maxTaskTtl());
        if (taskTtl != null) {
            startTask(origin, request, taskTtl);
            return;
        }
        dispatcher.submit(origin, request).thenCompose(outcome -> unlessForwarded(outcome, request))
                .thenAccept(this::replyToServer);
    }

    private void replyToServer(SamplingOutcome outcome) {
        if (outcome instanceof SamplingOutcome.Reply reply && closed.get()) {
            dispatcher.undelivered(reply); // concluded as the session closed: nobody to send it to
        } else if (outcome instanceof SamplingOutcome.Reply reply) {
            upstream.send(reply.message()).whenComplete((ok, failure) -> {
                if (failure == null) {
                    dispatcher.delivered(reply);
                } else {
                    dispatcher.undelivered(reply);
                    LOG.warn("Reply to sampling request {} could not reach server '{}': {}", reply.requestId(),
                            serverName, failure.toString());
                }
            });
        }
    }

    /** A task-augmented request: the server gets its task at once and polls; the review may take the task's ttl. */
    private void startTask(SamplingOrigin origin, JsonRpcMessage request, Duration ttl) {
        SamplingDispatcher.Submitted submitted = dispatcher.submit(origin, request, ttl);
        SamplingOutcome refused = submitted.outcome().toCompletableFuture().getNow(null);
        if (refused instanceof SamplingOutcome.Reply reply && reply.context() == null) {
            upstream.send(reply.message()); // never recorded (invalid, too large): no task to poll
            return;
        }
        LOG.debug("Sampling request {} runs as a task (ttl {} s)", submitted.requestId(), ttl.toSeconds());
        upstream.send(tasks.start(submitted.requestId(), request, ttl,
                submitted.outcome().thenCompose(outcome -> unlessForwarded(outcome, request))));
    }

    /**
     * The outcome for the server: as concluded, or, when the policy forwarded the request to the host, what the
     * host answered once it has been through the pipeline (recorded, and reviewed if the decision asked).
     */
    private CompletionStage<SamplingOutcome> unlessForwarded(SamplingOutcome outcome, JsonRpcMessage serverRequest) {
        if (!(outcome instanceof SamplingOutcome.Forward forward)) {
            return CompletableFuture.completedFuture(outcome);
        }
        if (closed.get()) {
            dispatcher.forwardAbandoned(forward.forwarded(), "the session closed");
            return CompletableFuture.completedFuture(new SamplingOutcome.NoReply(forward.requestId(), "session closed"));
        }
        LOG.info("Sampling request {} forwarded to host {} on session {}", forward.requestId(), identity.id(), sessionId);
        return forwards.ask(forward, serverRequest.idJson(), Instant.now()).handle((response, failure) -> {
            if (failure == null) {
                return dispatcher.hostAnswered(forward.forwarded(), response);
            }
            if (failure instanceof HostForwards.Ended ended) {
                if (ended.byServer()) {
                    dispatcher.forwardCancelled(forward.forwarded(), ended.getMessage());
                } else {
                    dispatcher.forwardAbandoned(forward.forwarded(), ended.getMessage());
                }
                return CompletableFuture.<SamplingOutcome>completedFuture(
                        new SamplingOutcome.NoReply(forward.requestId(), ended.getMessage()));
            }
            return dispatcher.hostDidNotAnswer(forward.forwarded(), failure instanceof TimeoutException
                    ? "no answer before the deadline" : failure.toString());
        }).thenCompose(next -> next);
    }

    private void upstreamClosed(String reason) {
        close(reason);
    }

    /**
     * Ends both sides: the upstream session, and any sampling still pending for it. Never blocks; completes when
     * the upstream side has ended.
     */
    public CompletionStage<Void> close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return upstreamClosed;
        }
        LOG.info("Session {} to server '{}' closed: {}", sessionId, serverName, reason);
        dispatcher.abandonSession(sessionId, reason);
        forwards.endAll(reason);
        upstream.close().whenComplete((ok, failure) -> upstreamClosed.complete(null));
        onClosed.accept(reason);
        return upstreamClosed;
    }

}
