package io.samplingbroker.broker.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.InputRounds.RoundAnswer;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.json.JsonObject;

/**
 * Coverage-guided: a 2026-07-28 server answers a host's call with any sequence of results ({@code input_required} or
 * not, well formed or not); the input is those answers, one per line group, separated by {@code --} lines. Whatever
 * they are, the call ends (no hang, no exception): with the server's final answer, the host-facing error of a
 * malformed or endless round, or the fulfiller's finish. And every retry the broker sends is the call again with a
 * new id, the same params, exactly the inputs the round asked for, and the server's {@code requestState} echoed.
 */
class InputRoundsFuzzTest {

    private static final int MAX_ROUNDS = 4;
    private static final JsonRpcMessage CALL = JsonRpcMessage.of(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":7,"
            + "\"method\":\"tools/call\",\"params\":{\"name\":\"sample\",\"arguments\":{\"prompt\":\"hi\"},"
            + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}"));
    private static final JsonObject SAMPLED = new JsonObject("{\"role\":\"assistant\",\"content\":{\"type\":\"text\","
            + "\"text\":\"4\"},\"model\":\"offline-echo\"}");

    @DictionaryEntries({"\"resultType\"", "\"input_required\"", "\"complete\"", "\"inputRequests\"",
        "\"requestState\"", "\"method\"", "\"sampling/createMessage\"", "\"elicitation/create\"", "\"params\"",
        "\"result\"", "\"error\"", "\"finish\"", "\\x0A--\\x0A"})
    @FuzzTest
    void givenAnyServerAnswers_whenACallRunsItsRounds_thenItEndsAndEachRetryCarriesTheRoundsInputsAndState(
            byte[] input) throws InterruptedException, TimeoutException {
        String[] answers = new String(input, StandardCharsets.UTF_8).split("\n--\n", -1);
        List<JsonRpcMessage> sent = new ArrayList<>();
        List<JsonRpcMessage> received = new ArrayList<>();
        RuntimeException unreadable = new IllegalStateException("the server's answer is not JSON-RPC");
        InputRounds.Exchange server = request -> {
            sent.add(request);
            int index = sent.size() - 1;
            if (index >= answers.length) {
                JsonRpcMessage done = JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", request.id())
                        .put("result", new JsonObject()));
                received.add(done);
                return CompletableFuture.completedFuture(done);
            }
            try {
                JsonRpcMessage answer = JsonRpcMessage.parse(answers[index]);
                received.add(answer);
                return CompletableFuture.completedFuture(answer);
            } catch (InvalidJsonRpcException e) {
                return CompletableFuture.failedFuture(unreadable);
            }
        };
        InputRounds.Fulfiller fulfiller = round -> {
            if (round.requests().containsKey("finish")) {
                return CompletableFuture.completedFuture(new RoundAnswer.Finish(CALL));
            }
            JsonObject responses = new JsonObject();
            round.requests().keySet().forEach(key -> responses.put(key, round.isSampling(key) ? SAMPLED
                    : new JsonObject().put("action", "accept")));
            return CompletableFuture.completedFuture(new RoundAnswer.Responses(responses, () -> { }));
        };

        JsonRpcMessage outcome;
        try {
            outcome = new InputRounds(MAX_ROUNDS, Duration.ZERO).run(CALL, 0, server, fulfiller)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            assertThat(failed.getCause()).isSameAs(unreadable);
            return;
        }

        assertThat(sent).hasSizeLessThanOrEqualTo(MAX_ROUNDS + 1);
        assertThat(new HashSet<>(sent.stream().map(JsonRpcMessage::idJson).toList())).hasSameSizeAs(sent);
        // the broker's own error, not a server's answer that reads like one (a server may send -32603 "The server ...")
        boolean serversAnswer = received.stream().anyMatch(answer -> answer == outcome);
        if (!serversAnswer && outcome != CALL) {
            JsonObject error = outcome.json().getJsonObject("error");
            assertThat(error.getInteger("code")).isEqualTo(SamplingErrors.INTERNAL_ERROR);
            assertThat(error.getString("message")).startsWith("The server ");
            assertThat(outcome.idJson()).isEqualTo(CALL.idJson());
        } else if (serversAnswer) {
            assertThat(InputRound.isInputRequired(outcome)).isFalse();
        }
        for (int i = 1; i < sent.size(); i++) {
            // the round the server's previous answer asked for: the retry answers it
            assertRetries(sent.get(i), InputRound.of(received.get(i - 1), i));
        }
    }

    /** The call again: its params, the inputs the round asked for (each answered), the round's state echoed. */
    private static void assertRetries(JsonRpcMessage retry, InputRound round) {
        assertThat(retry.method()).isEqualTo(CALL.method());
        JsonObject params = retry.params().copy();
        Object responses = params.remove("inputResponses");
        Object state = params.remove("requestState");
        assertThat(params).isEqualTo(CALL.params());
        if (round.requests().isEmpty()) {
            assertThat(responses).isNull();
        } else {
            assertThat(((JsonObject) responses).fieldNames()).isEqualTo(round.requests().keySet());
        }
        assertThat(state).isEqualTo(round.requestState());
    }
}
