package io.samplingbroker.broker.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.HeldRound;
import io.samplingbroker.broker.mcp.InputFailure;
import io.samplingbroker.broker.mcp.InputRounds.RoundAnswer;
import io.samplingbroker.broker.sampling.ForwardedRequest;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The answers a 2026-07-28 host brings in its retry for the sampling the policy forwarded to it: each is recorded
 * through the pipeline on this instance (a completion, reviewed first if the decision asked) before the server sees
 * it, so the server gets what the pipeline concluded, not what the host wrote. The first that concludes with an error
 * ends the call as a broker-answered sampling error does ({@link InputFailure}).
 */
final class ForwardedAnswers {

    private final SamplingDispatcher dispatcher;

    ForwardedAnswers(SamplingDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * Records the host's answers to the forwards of {@code held}: {@link RoundAnswer.Responses} with the concluded
     * answers by key (their delivery recorded once the server accepted the retry), or {@link RoundAnswer.Finish} with
     * the host's answer when one failed.
     */
    CompletionStage<RoundAnswer> record(HeldRound held, JsonRpcMessage retry) {
        JsonObject fromHost = retry.params().getValue("inputResponses") instanceof JsonObject responses ? responses
                : new JsonObject();
        List<String> keys = new ArrayList<>(held.forwarded().fieldNames());
        List<CompletableFuture<SamplingOutcome>> outcomes = new ArrayList<>();
        for (String key : keys) {
            ForwardedRequest forwarded = ForwardedRequest.fromJson(held.forwarded().getJsonObject(key));
            Object answer = fromHost.getValue(key);
            outcomes.add((answer instanceof JsonObject result
                    ? dispatcher.hostAnswered(forwarded, JsonRpc.result(Json.encode(key), result.encode()))
                    : dispatcher.hostDidNotAnswer(forwarded, answer == null
                            ? "its retry has no inputResponses entry '" + key + "'"
                            : "its inputResponses entry '" + key + "' is not an object")).toCompletableFuture());
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(all -> {
            JsonObject answers = new JsonObject();
            List<SamplingOutcome.Reply> replies = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                SamplingOutcome outcome = outcomes.get(i).join();
                String key = keys.get(i);
                if (!(outcome instanceof SamplingOutcome.Reply reply)) {
                    return new RoundAnswer.Finish(JsonRpc.error(retry.idJson(), SamplingErrors.INTERNAL_ERROR,
                            "Sampling for input '" + key + "' ended without an answer", null));
                }
                if (reply.message().json().getValue("error") instanceof JsonObject error) {
                    dispatcher.delivered(reply); // the host's answer says what happened to it
                    return new RoundAnswer.Finish(InputFailure.answer(retry, key, error, true));
                }
                replies.add(reply);
                answers.put(key, reply.message().json().getValue("result"));
            }
            return new RoundAnswer.Responses(answers, () -> replies.forEach(dispatcher::delivered));
        });
    }
}
