package io.samplingbroker.modelworker.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Message;

import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.McpBlocks;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.modelworker.testing.McpResults;

/**
 * Messages API bodies the mapper must refuse as {@code PROVIDER_BAD_RESPONSE}, or carry at their limit (the documented
 * ones are mapped in {@link AnthropicProviderTest}, over HTTP).
 */
class MessagesResponseMapperTest {

    @Test
    void givenANullContentBlock_whenMapped_thenTheAnswerIsABadResponse() {
        // the SDK reads "content":[null] as a list holding null: the mapper threw NullPointerException
        assertThatThrownBy(() -> map(message("[null]")))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo(FailureCode.PROVIDER_BAD_RESPONSE))
                .hasMessageContaining("null content block");
    }

    @Test
    void givenAToolInputNestedDeeperThanAnAnswerCanCarry_whenMapped_thenABadResponseAndOneLevelLessIsCarried()
            throws Exception {
        // the SDK reads the input four levels down, as deep as 997 levels; the broker's answer holds it one deeper
        assertThat(onALargeStack(() -> map(message(toolUse(McpBlocks.MAX_TOOL_INPUT_DEPTH + 1)))))
                .isInstanceOfSatisfying(ProviderFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo(FailureCode.PROVIDER_BAD_RESPONSE);
                    assertThat(failure).hasMessageContaining("nests deeper than 996 levels");
                });

        Object answer = onALargeStack(() -> map(message(toolUse(McpBlocks.MAX_TOOL_INPUT_DEPTH))));

        assertThat(answer).isInstanceOfSatisfying(ProviderAnswer.class, carried -> {
            assertThat(carried.result().getStopReason()).isEqualTo("toolUse");
            McpResults.assertCarriedUnchanged(carried.result());
        });
    }

    /**
     * What {@code call} returns or throws, on a thread of 64 MiB of stack: the SDK reads a JSON value by recursion,
     * a dozen frames a level, more than the 1 MiB of a default thread holds for 900 levels and more.
     */
    private static Object onALargeStack(Callable<Object> call) throws InterruptedException {
        Object[] outcome = new Object[1];
        Thread thread = new Thread(null, () -> {
            try {
                outcome[0] = call.call();
            } catch (Exception | StackOverflowError e) {
                outcome[0] = e;
            }
        }, "large-stack", 64L << 20);
        thread.start();
        thread.join();
        return outcome[0];
    }

    /** A text and a call whose input nests {@code depth} levels. */
    private static String toolUse(int depth) {
        String input = "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
        return """
                [{"type":"text","text":"Deep."},{"type":"tool_use","id":"toolu_1","name":"deep","input":%s}]
                """.formatted(input);
    }

    private static String message(String content) {
        return """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":%s,
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}
                """.formatted(content);
    }

    private static ProviderAnswer map(String json) throws Exception {
        return MessagesResponseMapper.toAnswer(ObjectMappers.jsonMapper().readValue(json, Message.class));
    }
}
