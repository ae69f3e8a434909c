package io.samplingbroker.broker.upstream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Calls;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.InputCall;
import io.samplingbroker.broker.mcp.InputFailure;
import io.samplingbroker.broker.mcp.InputRound;
import io.samplingbroker.broker.mcp.InputRounds;
import io.samplingbroker.broker.mcp.InputRounds.RoundAnswer;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A 2025-era host session in front of a 2026-07-28 server: the bridge speaks the session era to the host and the
 * sessionless era to the server. It answers {@code initialize} from the server's {@code server/discover}, sends every
 * request with the host's envelope (and {@code sampling} declared), and turns each {@code input_required} round back
 * into what a legacy server would have sent: server→client requests on the session ({@code sampling/createMessage},
 * which the broker answers, {@code elicitation/create} and {@code roots/list}, which the host does), whose responses
 * become the retry's {@code inputResponses}. A cancelled call cancels its open input requests the legacy way.
 */
public final class SessionBridge implements UpstreamConnection {

    private static final Logger LOG = LoggerFactory.getLogger(SessionBridge.class);
    private static final AtomicLong BRIDGES = new AtomicLong();

    private final SessionlessServer server;
    private final JsonObject discovery;
    private final InputRounds rounds;
    private final String idPrefix = "sampling-broker:" + BRIDGES.incrementAndGet() + ":";
    private final AtomicLong inputIds = new AtomicLong();
    /** Input requests on the host session still waiting for their response, by their id's JSON text. */
    private final Map<String, OpenInput> openInputs = new ConcurrentHashMap<>();
    /** The host's calls in progress, by their id's JSON text. */
    private final Map<String, List<String>> inputsOfCall = new ConcurrentHashMap<>();
    private volatile Envelope envelope;
    private Consumer<JsonRpcMessage> toHost;

    private record OpenInput(String callIdJson, InputCall call, CompletableFuture<JsonRpcMessage> response,
            CompletableFuture<Void> retried) {
    }

    /** @param discovery the server's {@code server/discover} result */
    public SessionBridge(SessionlessServer server, JsonObject discovery, InputRounds rounds) {
        this.server = server;
        this.discovery = discovery;
        this.rounds = rounds;
    }

    @Override
    public CompletionStage<Void> start(Consumer<JsonRpcMessage> fromServer, Consumer<String> onClosed) {
        this.toHost = fromServer;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String serverProtocolVersion() {
        return ProtocolVersions.CURRENT;
    }

    @Override
    public InputCall inputCall(String requestIdJson) {
        OpenInput open = openInputs.get(requestIdJson);
        return open == null ? null : open.call();
    }

    @Override
    public CompletionStage<Void> send(JsonRpcMessage message) {
        switch (message.kind()) {
            case REQUEST -> {
                if (message.isRequest("initialize")) {
                    initialize(message);
                } else if (message.isRequest("ping")) {
                    toHost.accept(JsonRpc.result(message.idJson(), "{}")); // 2026-07-28 has no ping: the broker answers
                } else if (envelope == null) {
                    toHost.accept(JsonRpc.error(message.idJson(), JsonRpc.INVALID_REQUEST,
                            "initialize the session first", null));
                } else {
                    call(message);
                }
                return CompletableFuture.completedFuture(null);
            }
            case NOTIFICATION -> {
                if (message.isNotification("notifications/cancelled") && message.params() != null) {
                    cancelCall(Json.encode(message.params().getValue("requestId")),
                            JsonMembers.string(message.params(), "reason"));
                } else {
                    LOG.debug("Server '{}' has no session: notification {} from the host not passed on", server.name(),
                            message.method());
                }
                return CompletableFuture.completedFuture(null);
            }
            default -> {
                return answerInput(message);
            }
        }
    }

    /** The host's initialize, answered as the server's discovery says; the host keeps its legacy version. */
    private void initialize(JsonRpcMessage initialize) {
        JsonObject params = initialize.params() == null ? new JsonObject() : initialize.params();
        envelope = new Envelope(ProtocolVersions.CURRENT, JsonMembers.objectOrEmpty(params, "capabilities"),
                JsonMembers.objectOrEmpty(params, "clientInfo")).withSampling();
        String asked = JsonMembers.string(params, "protocolVersion");
        String version = asked != null && ProtocolVersions.isSupported(asked) && !ProtocolVersions.isSessionless(asked)
                ? asked : ProtocolVersions.LEGACY;
        JsonObject serverInfo = JsonMembers.object(JsonMembers.object(discovery, "_meta"), Envelope.SERVER_INFO);
        if (serverInfo == null) {
            serverInfo = new JsonObject().put("name", server.name()).put("version", "unknown");
        }
        JsonObject result = new JsonObject().put("protocolVersion", version)
                .put("capabilities", JsonMembers.objectOrEmpty(discovery, "capabilities"))
                .put("serverInfo", serverInfo);
        if (discovery.getValue("instructions") instanceof String instructions) {
            result.put("instructions", instructions);
        }
        LOG.info("Session to server '{}' bridged: host speaks {}, server {}", server.name(), version,
                ProtocolVersions.CURRENT);
        toHost.accept(JsonRpc.result(initialize.idJson(), result.encode()));
    }

    private void call(JsonRpcMessage request) {
        JsonObject json = request.json().copy();
        json.put("params", envelope.writeInto(json.getJsonObject("params", new JsonObject())));
        JsonRpcMessage call = JsonRpcMessage.of(json);
        String callIdJson = request.idJson();
        inputsOfCall.put(callIdJson, new CopyOnWriteArrayList<>());
        rounds.run(call, 0, sent -> server.send(sent, Map.of(), toHost).thenApply(SessionlessServer.Answer::message),
                        round -> askHost(request, callIdJson, round))
                .whenComplete((response, failure) -> {
                    if (inputsOfCall.remove(callIdJson) == null) {
                        return; // cancelled: MCP sends nothing for a cancelled request
                    }
                    toHost.accept(failure == null ? response.withId(callIdJson) : JsonRpc.error(callIdJson,
                            SamplingErrors.INTERNAL_ERROR, "Could not complete the call: " + failure.getMessage(), null));
                });
    }

    /**
     * One round's input requests, sent to the host session as the server→client requests a legacy server sends. The
     * first error ends the call ({@link InputFailure}) and cancels the other inputs of the round.
     */
    private CompletionStage<RoundAnswer> askHost(JsonRpcMessage request, String callIdJson, InputRound round) {
        List<String> ids = inputsOfCall.get(callIdJson);
        if (ids == null) {
            return new CompletableFuture<>(); // the call was cancelled: it never completes
        }
        JsonObject responses = new JsonObject();
        Map<String, CompletableFuture<Void>> retried = new java.util.LinkedHashMap<>();
        CompletableFuture<RoundAnswer> answer = new CompletableFuture<>();
        round.requests().forEach((key, input) -> {
            String idJson = Json.encode(idPrefix + inputIds.incrementAndGet() + ":" + key);
            OpenInput open = new OpenInput(callIdJson, new InputCall(request.method(), Calls.nameOf(request), key,
                    round.number()), new CompletableFuture<>(), new CompletableFuture<>());
            openInputs.put(idJson, open);
            ids.add(idJson);
            retried.put(key, open.retried());
            open.response().thenAccept(response -> {
                synchronized (responses) {
                    if (answer.isDone()) {
                        return;
                    }
                    if (response.json().getValue("error") instanceof JsonObject error) {
                        // The failure reaches the host in the call's answer; the round's other answers reach no one.
                        retried.forEach((other, done) -> {
                            if (other.equals(key)) {
                                done.complete(null);
                            } else {
                                done.completeExceptionally(new UpstreamException("not passed on: input '" + key
                                        + "' of the same round failed"));
                            }
                        });
                        answer.complete(new RoundAnswer.Finish(InputFailure.answer(request, key, error, false)));
                        return;
                    }
                    responses.put(key, response.json().getValue("result"));
                    if (responses.size() == round.requests().size()) {
                        answer.complete(new RoundAnswer.Responses(responses,
                                () -> retried.values().forEach(done -> done.complete(null))));
                    }
                }
            });
            JsonObject asked = new JsonObject().put("jsonrpc", "2.0").put("id", Json.decodeValue(idJson))
                    .put("method", input.getString("method"));
            if (input.containsKey("params")) {
                asked.put("params", input.getValue("params"));
            }
            toHost.accept(JsonRpcMessage.of(asked));
        });
        return answer.whenComplete((done, failure) -> {
            if (done instanceof RoundAnswer.Finish) {
                cancelInputs(callIdJson, "another input of the round failed");
            }
            ids.forEach(openInputs::remove);
            ids.clear();
        });
    }

    /** The response to one of the bridge's input requests; completes once the retry carrying it reached the server. */
    private CompletionStage<Void> answerInput(JsonRpcMessage response) {
        OpenInput open = openInputs.get(response.idJson());
        if (open == null) {
            LOG.warn("Server '{}': response {} from the host answers no open input request; ignored", server.name(),
                    response.idJson());
            return CompletableFuture.completedFuture(null);
        }
        open.response().complete(response);
        return open.retried();
    }

    private void cancelCall(String callIdJson, String reason) {
        if (inputsOfCall.containsKey(callIdJson)) {
            LOG.info("Server '{}': the host cancelled call {}", server.name(), callIdJson);
            cancelInputs(callIdJson, reason);
            inputsOfCall.remove(callIdJson);
        }
    }

    /** Cancels the call's open input requests as a legacy server does: the broker stops sampling, the host drops the rest. */
    private void cancelInputs(String callIdJson, String reason) {
        List<String> ids = inputsOfCall.getOrDefault(callIdJson, List.of());
        for (String idJson : List.copyOf(ids)) {
            OpenInput open = openInputs.remove(idJson);
            if (open == null || open.response().isDone()) {
                continue;
            }
            open.retried().completeExceptionally(new UpstreamException("the call ended: " + reason));
            // What a legacy server does: the broker cancels its sampling, the host drops its elicitation.
            JsonObject params = new JsonObject().put("requestId", Json.decodeValue(idJson));
            if (reason != null) {
                params.put("reason", reason);
            }
            toHost.accept(JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0")
                    .put("method", "notifications/cancelled").put("params", params)));
        }
    }


    /** Nothing to end upstream (no session); calls in progress are dropped with the host's session. */
    @Override
    public CompletionStage<Void> close() {
        inputsOfCall.clear();
        openInputs.values().forEach(open -> open.retried().completeExceptionally(
                new UpstreamException("the session closed")));
        openInputs.clear();
        return CompletableFuture.completedFuture(null);
    }
}
