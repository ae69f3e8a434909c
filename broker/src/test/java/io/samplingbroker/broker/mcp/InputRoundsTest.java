package io.samplingbroker.broker.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.InputRounds.RoundAnswer;
import io.vertx.core.json.JsonObject;

class InputRoundsTest {

    private static final JsonRpcMessage CALL = JsonRpcMessage.of(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":7,"
            + "\"method\":\"tools/call\",\"params\":{\"name\":\"sample\",\"arguments\":{\"prompt\":\"hi\"},"
            + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}"));

    private final List<JsonRpcMessage> sent = new ArrayList<>();

    @Test
    void givenTwoRoundsOfSampling_whenRun_thenEachRetryHasANewIdTheSameParamsTheAnswersAndTheStateEchoed()
            throws Exception {
        List<JsonRpcMessage> responses = List.of(inputRequired("llm", "state-1"), inputRequired("llm", "state-2"),
                complete("done"));
        AtomicInteger delivered = new AtomicInteger();

        JsonRpcMessage result = new InputRounds(8).run(CALL, 0, serverAnswering(responses),
                round -> CompletableFuture.completedFuture(new RoundAnswer.Responses(
                        new JsonObject().put("llm", answer("round " + round.number())), delivered::incrementAndGet)))
                .toCompletableFuture().get();

        assertThat(result.json().getJsonObject("result").getString("text")).isEqualTo("done");
        assertThat(sent).hasSize(3);
        assertThat(sent).extracting(JsonRpcMessage::idJson).containsExactly("7", "\"7~r2\"", "\"7~r3\"");
        JsonObject second = sent.get(1).params();
        assertThat(second.getJsonObject("arguments")).isEqualTo(CALL.params().getJsonObject("arguments"));
        assertThat(second.getJsonObject("_meta")).isEqualTo(CALL.params().getJsonObject("_meta"));
        assertThat(second.getString("requestState")).isEqualTo("state-1");
        assertThat(second.getJsonObject("inputResponses").getJsonObject("llm").getJsonObject("content")
                .getString("text")).isEqualTo("round 1");
        assertThat(sent.get(2).params().getString("requestState")).isEqualTo("state-2");
        assertThat(delivered).hasValue(2);
    }

    @Test
    void givenAServerThatNeverStopsAsking_whenTheLimitIsPassed_thenTheHostGetsAnErrorNamingTheLimit() throws Exception {
        JsonRpcMessage result = new InputRounds(3).run(CALL, 0, request -> {
            sent.add(request);
            return CompletableFuture.completedFuture(inputRequired("llm", "again"));
        }, round -> CompletableFuture.completedFuture(new RoundAnswer.Responses(
                new JsonObject().put("llm", answer("x")), () -> { }))).toCompletableFuture().get();

        assertThat(sent).hasSize(4);
        assertThat(result.json().getJsonObject("error").getString("message"))
                .contains("asked for input 4 times").contains("at most 3 rounds").contains("broker.input.max.rounds");
    }

    @Test
    void givenAHostRetryThatContinuesRoundThree_whenRun_thenRoundsAreCountedFromThere() throws Exception {
        List<Integer> numbers = new ArrayList<>();
        new InputRounds(8).run(CALL, 3, serverAnswering(List.of(inputRequired("llm", "s"), complete("ok"))), round -> {
            numbers.add(round.number());
            return CompletableFuture.completedFuture(new RoundAnswer.Responses(new JsonObject().put("llm",
                    answer("a")), () -> { }));
        }).toCompletableFuture().get();

        assertThat(numbers).containsExactly(4);
    }

    @Test
    void givenAFulfillerThatStops_whenRun_thenItsMessageIsTheAnswerAndNothingIsRetried() throws Exception {
        JsonRpcMessage stop = JsonRpc.error("7", -1, "User rejected sampling request", null);

        JsonRpcMessage result = new InputRounds(8).run(CALL, 0, serverAnswering(List.of(inputRequired("llm", "s"))),
                round -> CompletableFuture.completedFuture(new RoundAnswer.Finish(stop))).toCompletableFuture().get();

        assertThat(result).isSameAs(stop);
        assertThat(sent).hasSize(1);
    }

    @Test
    void givenARequestStateOnlyRound_whenRun_thenItIsRetriedWithoutInputResponsesAndTheFulfillerIsNotAsked()
            throws Exception {
        JsonRpcMessage stateOnly = JsonRpc.result("7", "{\"resultType\":\"input_required\",\"requestState\":\"busy\"}");
        AtomicInteger asked = new AtomicInteger();

        JsonRpcMessage result = new InputRounds(8).run(CALL, 0, serverAnswering(List.of(stateOnly, complete("ok"))),
                round -> {
                    asked.incrementAndGet();
                    return new CompletableFuture<>();
                }).toCompletableFuture().get();

        assertThat(result.json().getJsonObject("result").getString("text")).isEqualTo("ok");
        assertThat(asked).hasValue(0);
        assertThat(sent.get(1).params().containsKey("inputResponses")).isFalse();
        assertThat(sent.get(1).params().getString("requestState")).isEqualTo("busy");
    }

    @Test
    void givenMalformedInputRequiredResults_whenRun_thenTheHostGetsAnErrorSayingWhatIsWrong() throws Exception {
        for (String bad : List.of("{\"resultType\":\"input_required\"}",
                "{\"resultType\":\"input_required\",\"inputRequests\":{\"k\":{\"params\":{}}}}",
                "{\"resultType\":\"input_required\",\"inputRequests\":[],\"requestState\":\"s\"}",
                "{\"resultType\":\"input_required\",\"inputRequests\":{\"k\":{\"method\":\"roots/list\"}},"
                        + "\"requestState\":5}")) {
            JsonRpcMessage result = new InputRounds(8).run(CALL, 0,
                    request -> CompletableFuture.completedFuture(JsonRpc.result("7", bad)),
                    round -> new CompletableFuture<>()).toCompletableFuture().get();

            assertThat(result.json().getJsonObject("error").getString("message")).as(bad)
                    .startsWith("The server sent a malformed input_required result");
        }
    }

    private InputRounds.Exchange serverAnswering(List<JsonRpcMessage> responses) {
        return request -> {
            sent.add(request);
            return CompletableFuture.completedFuture(responses.get(sent.size() - 1));
        };
    }

    static JsonRpcMessage inputRequired(String key, String state) {
        return JsonRpc.result("7", new JsonObject().put("resultType", "input_required")
                .put("inputRequests", new JsonObject().put(key, new JsonObject().put("method", "sampling/createMessage")
                        .put("params", new JsonObject().put("maxTokens", 10))))
                .put("requestState", state).encode());
    }

    private static JsonRpcMessage complete(String text) {
        return JsonRpc.result("7", new JsonObject().put("text", text).encode());
    }

    private static JsonObject answer(String text) {
        return new JsonObject().put("role", "assistant").put("model", "m")
                .put("content", new JsonObject().put("type", "text").put("text", text));
    }
}
