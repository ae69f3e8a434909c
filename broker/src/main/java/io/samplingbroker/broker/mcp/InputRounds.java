package io.samplingbroker.broker.mcp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Carries one call to a 2026-07-28 server through its {@code input_required} rounds (SEP-2322): send, and while the
 * server asks for input, have the input answered and retry with a new id, the same params, the answers and the
 * server's {@code requestState}; up to a limit of rounds. Where the answers come from is the {@link Fulfiller}'s
 * business (the broker's own sampling, the host, or both).
 */
public final class InputRounds {

    /** Sends one request to the server and completes with its response. */
    public interface Exchange {
        CompletionStage<JsonRpcMessage> send(JsonRpcMessage request);
    }

    /** Answers the input requests of one round, or ends the call with a message for the host. */
    public interface Fulfiller {
        CompletionStage<RoundAnswer> answer(InputRound round);
    }

    /** What a {@link Fulfiller} decided for a round. */
    public sealed interface RoundAnswer {

        /**
         * Retry with these answers.
         *
         * @param inputResponses the answer for every key of the round
         * @param whenSent called once the retry carrying them was accepted by the server (delivery is recorded then)
         */
        record Responses(JsonObject inputResponses, Runnable whenSent) implements RoundAnswer {
        }

        /** Stop here and answer the host with {@code toHost} (its id is the call's). */
        record Finish(JsonRpcMessage toHost) implements RoundAnswer {
        }
    }

    /** The SDK v2 client's pause before retrying a round that carries only requestState. */
    static final Duration STATE_ONLY_PACING = Duration.ofMillis(250);

    private final int maxRounds;
    private final Duration stateOnlyPacing;

    public InputRounds(int maxRounds) {
        this(maxRounds, STATE_ONLY_PACING);
    }

    /** @param stateOnlyPacing the pause before retrying a round that carries only requestState */
    InputRounds(int maxRounds, Duration stateOnlyPacing) {
        this.maxRounds = maxRounds;
        this.stateOnlyPacing = stateOnlyPacing;
    }

    /**
     * Runs {@code call} to its end: the server's final response (its id the one of the last request sent), a
     * {@link RoundAnswer.Finish} message, or a JSON-RPC error when the server asks too often or malformed.
     *
     * @param call the call as the server must see it (envelope included); its id is used for the first send
     * @param roundsBefore rounds already answered for this call (a host's retry continues a call)
     */
    public CompletionStage<JsonRpcMessage> run(JsonRpcMessage call, int roundsBefore, Exchange exchange,
            Fulfiller fulfiller) {
        return exchange.send(call).thenCompose(response -> next(call, response, roundsBefore + 1, exchange, fulfiller));
    }

    private CompletionStage<JsonRpcMessage> next(JsonRpcMessage call, JsonRpcMessage response, int number,
            Exchange exchange, Fulfiller fulfiller) {
        if (!InputRound.isInputRequired(response)) {
            return CompletableFuture.completedFuture(response);
        }
        if (number > maxRounds) {
            return CompletableFuture.completedFuture(JsonRpc.error(call.idJson(), SamplingErrors.INTERNAL_ERROR,
                    "The server asked for input " + number + " times for one call; the broker answers at most "
                            + maxRounds + " rounds (broker.input.max.rounds)", null));
        }
        InputRound round;
        try {
            round = InputRound.of(response, number);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(JsonRpc.error(call.idJson(), SamplingErrors.INTERNAL_ERROR,
                    "The server sent a malformed input_required result: " + e.getMessage(), null));
        }
        CompletionStage<RoundAnswer> answered = round.requests().isEmpty()
                // requestState only: the server sheds load and asks to be asked again; pace it as the SDK client does
                ? CompletableFuture.supplyAsync(() -> new RoundAnswer.Responses(new JsonObject(), () -> { }),
                        CompletableFuture.delayedExecutor(stateOnlyPacing.toMillis(), TimeUnit.MILLISECONDS))
                : fulfiller.answer(round);
        return answered.thenCompose(answer -> {
            if (answer instanceof RoundAnswer.Finish finish) {
                return CompletableFuture.completedFuture(finish.toHost());
            }
            RoundAnswer.Responses responses = (RoundAnswer.Responses) answer;
            JsonRpcMessage retry = round.retry(call, retryId(call, number), responses.inputResponses());
            return exchange.send(retry).thenCompose(retried -> {
                responses.whenSent().run();
                return next(call, retried, number + 1, exchange, fulfiller);
            });
        });
    }

    /** A new id for each retry, derived from the call's so logs tie them together. */
    static String retryId(JsonRpcMessage call, int round) {
        Object id = call.id();
        return Json.encode((id instanceof String text ? text : String.valueOf(id)) + "~r" + (round + 1));
    }
}
