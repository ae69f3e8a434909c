package io.samplingbroker.broker.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Calls;
import io.samplingbroker.broker.mcp.Capabilities;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.HeldRound;
import io.samplingbroker.broker.mcp.InputFailure;
import io.samplingbroker.broker.mcp.InputRound;
import io.samplingbroker.broker.mcp.InputRounds;
import io.samplingbroker.broker.mcp.InputRounds.RoundAnswer;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.samplingbroker.broker.mcp.RequestStateSeal;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.sampling.SamplingOrigin;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.InputRequestRef;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Answers the input rounds of one call a 2026-07-28 host made: each sampling input through the broker's pipeline
 * (request event, policy, review, model, audit), everything else by the host, and the sampling the policy forwards to
 * the host by the host too (its answers come back through the pipeline in its retry: {@link ForwardedAnswers}). A
 * round with input for the host ends the broker's part of the call: the host gets {@code input_required} with only its
 * own inputs, and the broker's answers travel sealed in the {@code requestState} until its retry. The first failed sampling ends the call
 * ({@link InputFailure}) and cancels the round's other sampling.
 */
final class HostRound implements InputRounds.Fulfiller {

    private final SamplingDispatcher dispatcher;
    private final RequestStateSeal seal;
    private final Clock clock;
    private final Duration heldFor;
    private final HostIdentity host;
    private final String serverName;
    private final String scope;
    private final JsonRpcMessage hostCall;
    private final String traceParent;
    /** The JSON text of the keys whose sampling is pending: cancelled if the host leaves. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    HostRound(SamplingDispatcher dispatcher, RequestStateSeal seal, Clock clock, Duration heldFor, HostIdentity host,
            String serverName, String scope, JsonRpcMessage hostCall, String traceParent) {
        this.traceParent = traceParent;
        this.dispatcher = dispatcher;
        this.seal = seal;
        this.clock = clock;
        this.heldFor = heldFor;
        this.host = host;
        this.serverName = serverName;
        this.scope = scope;
        this.hostCall = hostCall;
    }

    @Override
    public CompletionStage<RoundAnswer> answer(InputRound round) {
        Map<String, CompletableFuture<SamplingOutcome>> sampling = new LinkedHashMap<>();
        round.requests().forEach((key, input) -> {
            if (round.isSampling(key)) {
                sampling.put(key, sample(round, key, input).toCompletableFuture());
            }
        });
        Outcomes outcomes = new Outcomes(round, sampling.keySet());
        if (sampling.isEmpty()) {
            outcomes.answer.complete(conclude(round, new JsonObject(), List.of(), Map.of()));
        }
        sampling.forEach((key, outcome) -> outcome.thenAccept(result -> {
            pending.remove(Json.encode(key));
            outcomes.add(key, result);
        }));
        return outcomes.answer;
    }

    /** The outcomes of one round's sampling inputs as they come: the round is answered once all are in, or one failed. */
    private final class Outcomes {

        final CompletableFuture<RoundAnswer> answer = new CompletableFuture<>();
        private final InputRound round;
        private final Set<String> keys;
        private final JsonObject answers = new JsonObject();
        private final Map<String, SamplingOutcome.Reply> replies = new LinkedHashMap<>();
        private final Map<String, SamplingOutcome.Forward> forwarded = new LinkedHashMap<>();

        Outcomes(InputRound round, Set<String> keys) {
            this.round = round;
            this.keys = keys;
        }

        synchronized void add(String key, SamplingOutcome result) {
            if (answer.isDone()) {
                if (result instanceof SamplingOutcome.Forward forward) {
                    dispatcher.forwardCancelled(forward.forwarded(), "another input of the same round was not given");
                }
                return;
            }
            if (result instanceof SamplingOutcome.Forward forward) {
                forwarded.put(key, forward);
            } else {
                RoundAnswer failed = failure(key, result);
                if (failed != null) {
                    String reason = "input '" + key + "' of the same round was not given";
                    keys.stream().filter(other -> !other.equals(key)).forEach(other -> cancel(other, reason));
                    forwarded.values().forEach(earlier -> dispatcher.forwardCancelled(earlier.forwarded(), reason));
                    answer.complete(failed);
                    return;
                }
                SamplingOutcome.Reply reply = (SamplingOutcome.Reply) result;
                replies.put(key, reply);
                answers.put(key, reply.message().json().getValue("result"));
            }
            if (replies.size() + forwarded.size() == keys.size()) {
                answer.complete(conclude(round, answers, List.copyOf(replies.values()), forwarded));
            }
        }
    }

    private CompletionStage<SamplingOutcome> sample(InputRound round, String key, JsonObject input) {
        Envelope envelope = Envelope.of(hostCall.params());
        SamplingOrigin origin = new SamplingOrigin(host, serverName, scope, ProtocolVersions.CURRENT,
                ProtocolVersions.CURRENT, Calls.nameOf(hostCall), new InputRequestRef(key, hostCall.method(),
                        round.number()),
                envelope == null ? null : Capabilities.samplingOf(envelope.clientCapabilities()), traceParent);
        JsonObject request = new JsonObject().put("jsonrpc", "2.0").put("id", key).put("method", InputRound.SAMPLING);
        if (input.containsKey("params")) {
            request.put("params", input.getValue("params"));
        }
        pending.add(Json.encode(key));
        return dispatcher.submit(origin, JsonRpcMessage.of(request));
    }

    /** The end of the call when the sampling under {@code key} got no result; null when it did. */
    private RoundAnswer failure(String key, SamplingOutcome outcome) {
        if (outcome instanceof SamplingOutcome.NoReply none) {
            return new RoundAnswer.Finish(JsonRpc.error(hostCall.idJson(), SamplingErrors.INTERNAL_ERROR,
                    "Sampling for input '" + key + "' ended without an answer: " + none.reason(), null));
        }
        SamplingOutcome.Reply reply = (SamplingOutcome.Reply) outcome;
        if (reply.message().json().getValue("error") instanceof JsonObject error) {
            dispatcher.delivered(reply); // the host's answer says what happened to it
            return new RoundAnswer.Finish(InputFailure.answer(hostCall, key, error, true));
        }
        return null;
    }

    /**
     * Every sampling input answered or forwarded: retry the server, or hand the host its own inputs (and the sampling
     * the policy forwarded to it, under the server's keys) with the broker's answers and the forwards sealed.
     */
    private RoundAnswer conclude(InputRound round, JsonObject answers, List<SamplingOutcome.Reply> replies,
            Map<String, SamplingOutcome.Forward> forwarded) {
        Map<String, JsonObject> forHost = new LinkedHashMap<>(round.forHost());
        if (forHost.isEmpty() && forwarded.isEmpty()) {
            return new RoundAnswer.Responses(answers, () -> replies.forEach(dispatcher::delivered));
        }
        JsonObject sealedForwards = new JsonObject();
        forwarded.forEach((key, forward) -> {
            forHost.put(key, new JsonObject().put("method", InputRound.SAMPLING).put("params", forward.hostParams()));
            sealedForwards.put(key, forward.forwarded().toJson());
        });
        String state = seal.seal(new HeldRound(round.requestState(), answers, sealedForwards, round.number(),
                hostCall.method(), Calls.nameOf(hostCall), clock.instant().plus(heldFor), host.owner()));
        // The answers leave the broker now, sealed; the retry that passes them on may reach another instance.
        replies.forEach(dispatcher::delivered);
        JsonObject result = new JsonObject().put("resultType", "input_required")
                .put("inputRequests", new JsonObject(new LinkedHashMap<>(forHost))).put("requestState", state);
        return new RoundAnswer.Finish(JsonRpc.result(hostCall.idJson(), result.encode()));
    }

    private void cancel(String key, String reason) {
        if (pending.remove(Json.encode(key))) {
            dispatcher.cancel(scope, Json.encode(key), reason);
        }
    }

    /** The host closed its connection: nobody will read the answer, so the sampling still pending is cancelled. */
    void hostLeft() {
        for (String keyJson : List.copyOf(pending)) {
            if (pending.remove(keyJson)) {
                dispatcher.cancel(scope, keyJson, "the host closed its connection", CancelledBy.HOST);
            }
        }
    }
}
