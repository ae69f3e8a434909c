package io.samplingbroker.modelworker.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;

import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.McpBlocks;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.modelworker.testing.McpResults;

/** Chat Completion response bodies, as the API reference documents them, to MCP results. */
class ChatResponseMapperTest {

    @Test
    void givenTheDocumentedTextCompletion_whenMapped_thenTextModelEndTurnAndUsageAreKept() throws Exception {
        ProviderAnswer answer = map("""
                {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
                 "model":"gpt-4.1-2025-04-14",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?",
                   "refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
                   "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                   "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,
                     "rejected_prediction_tokens":0}},
                 "service_tier":"default"}
                """);

        CreateMessageResult result = answer.result();
        assertThat(result.getRole()).isEqualTo(Role.assistant);
        assertThat(result.getModel()).isEqualTo("gpt-4.1-2025-04-14");
        assertThat(result.getStopReason()).isEqualTo("endTurn");
        assertThat(result.getContentShape()).isEqualTo(ContentShape.SINGLE);
        assertThat(result.getContent()).containsExactly(TextContent.newBuilder()
                .setText("Hello! How can I assist you today?").build());
        assertThat(answer.inputTokens()).isEqualTo(19L);
        assertThat(answer.outputTokens()).isEqualTo(10L);
        assertThat(answer.cachedInputTokens()).isZero();
    }

    @Test
    void givenAPromptServedFromTheCache_whenMapped_thenCachedTokensArePartOfTheInput() throws Exception {
        ProviderAnswer answer = map("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Again."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                   "prompt_tokens_details":{"cached_tokens":1920}}}
                """);

        assertThat(answer.inputTokens()).isEqualTo(2006L);
        assertThat(answer.cachedInputTokens()).isEqualTo(1920L);
    }

    @Test
    void givenTheDocumentedToolCallCompletion_whenMapped_thenToolUseBlocksWithObjectInputAndStopReasonToolUse()
            throws Exception {
        ProviderAnswer answer = map("""
                {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_abc123","type":"function",
                    "function":{"name":"get_current_weather","arguments":"{\\n\\"location\\": \\"Boston, MA\\"\\n}"}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}
                """);

        assertThat(answer.result().getStopReason()).isEqualTo("toolUse");
        assertThat(answer.result().getContent()).containsExactly(ToolUseContent.newBuilder()
                .setId("call_abc123").setName("get_current_weather").setInput("{\"location\":\"Boston, MA\"}").build());
    }

    @Test
    void givenTextAndToolCallsWithFinishReasonStop_whenMapped_thenBothBlocksAreKeptAndTheStopReasonIsToolUse()
            throws Exception {
        // Some compatible servers (older Ollama) say "stop" even when the model called tools.
        ProviderAnswer answer = map("""
                {"id":"c","object":"chat.completion","created":1,"model":"llama3.1:8b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Checking.","tool_calls":[
                   {"id":"call_x","type":"function","function":{"name":"noop","arguments":""}}]},"finish_reason":"stop"}]}
                """);

        assertThat(answer.result().getStopReason()).isEqualTo("toolUse");
        assertThat(answer.result().getContentShape()).isEqualTo(ContentShape.ARRAY);
        assertThat(answer.result().getContent()).hasSize(2);
        assertThat(((ToolUseContent) answer.result().getContent().get(1)).getInput()).isEqualTo("{}");
        assertThat(answer.inputTokens()).isNull();
        assertThat(answer.outputTokens()).isNull();
    }

    @Test
    void givenFinishReasonLength_whenMapped_thenTheStopReasonIsMaxTokens() throws Exception {
        assertThat(map(completion("\"length\"", "\"Once upon a\"")).result().getStopReason()).isEqualTo("maxTokens");
    }

    @Test
    void givenFinishReasonContentFilter_whenMapped_thenItIsKeptAsAProviderSpecificStopReason() throws Exception {
        assertThat(map(completion("\"content_filter\"", "\"\"")).result().getStopReason()).isEqualTo("content_filter");
    }

    @Test
    void givenARefusal_whenMapped_thenTheRefusalIsTheText() throws Exception {
        ProviderAnswer answer = map("""
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,
                   "refusal":"I'm sorry, I can't help with that."},"finish_reason":"stop"}]}
                """);

        assertThat(((TextContent) answer.result().getContent().get(0)).getText())
                .isEqualTo("I'm sorry, I can't help with that.");
    }

    @Test
    void givenNoChoices_whenMapped_thenTheAnswerIsABadResponse() {
        assertBadResponse("""
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[]}
                """, "no choices");
    }

    @Test
    void givenNoModel_whenMapped_thenTheAnswerIsABadResponse() {
        assertBadResponse("""
                {"id":"c","object":"chat.completion","created":1,
                 "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}
                """, "required field");
    }

    @Test
    void givenToolArgumentsThatAreNotAJsonObject_whenMapped_thenTheAnswerIsABadResponseNamingTheTool() {
        assertBadResponse("""
                {"id":"c","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"search","arguments":"{\\"q\\": "}}]},
                   "finish_reason":"tool_calls"}]}
                """, "tool 'search'");
    }

    @Test
    void givenANullChoice_whenMapped_thenTheAnswerIsABadResponse() {
        // found by ProviderResponseFuzzTest ({"choices":[null]}): the SDK reads it as a list holding null, the mapper
        // threw NullPointerException, which escaped the SDK's future and left the attempt to time out
        assertBadResponse("""
                {"id":"c","object":"chat.completion","created":1,"model":"m","choices":[null]}
                """, "first choice is null");
    }

    @Test
    void givenANullToolCall_whenMapped_thenTheAnswerIsABadResponse() {
        assertBadResponse("""
                {"id":"c","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"x","tool_calls":[null]},
                   "finish_reason":"tool_calls"}]}
                """, "null tool call");
    }

    @Test
    void givenToolArgumentsWithANumberJacksonCannotRead_whenMapped_thenTheAnswerIsABadResponseNamingTheTool() {
        // an exponent past an int's range, which McpJson.parse refuses like malformed JSON (it threw NumberFormatException)
        assertBadResponse("""
                {"id":"c","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_1","type":"function",
                    "function":{"name":"search","arguments":"{\\"q\\":1e99000000000000000000}"}}]},
                   "finish_reason":"tool_calls"}]}
                """, "tool 'search'");
    }

    @Test
    void givenToolArgumentsNestedDeeperThanAnAnswerCanCarry_whenMapped_thenABadResponseAndOneLevelLessIsCarried()
            throws Exception {
        // the broker's answer holds the input four levels down; Jackson writes and reads 1000 levels at most
        assertBadResponse(toolCall(McpBlocks.MAX_TOOL_INPUT_DEPTH + 1), "nest deeper than 996 levels");

        ProviderAnswer answer = map(toolCall(McpBlocks.MAX_TOOL_INPUT_DEPTH));

        assertThat(answer.result().getContent()).hasSize(2);
        McpResults.assertCarriedUnchanged(answer.result());
    }

    /** A text and one call whose arguments nest {@code depth} levels. */
    private static String toolCall(int depth) throws JsonProcessingException {
        String arguments = "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
        return """
                {"id":"c","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Deep.","tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"deep","arguments":%s}}]},
                   "finish_reason":"tool_calls"}]}
                """.formatted(ObjectMappers.jsonMapper().writeValueAsString(arguments));
    }

    @Test
    void givenFinishReasons_whenMapped_thenTheyFollowTheMcpNames() {
        assertThat(ChatResponseMapper.stopReason("stop")).isEqualTo("endTurn");
        assertThat(ChatResponseMapper.stopReason("length")).isEqualTo("maxTokens");
        assertThat(ChatResponseMapper.stopReason("tool_calls")).isEqualTo("toolUse");
        assertThat(ChatResponseMapper.stopReason("function_call")).isEqualTo("toolUse");
        assertThat(ChatResponseMapper.stopReason("content_filter")).isEqualTo("content_filter");
    }

    private static String completion(String finishReason, String content) {
        return """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":%s}]}
                """.formatted(content, finishReason);
    }

    private static void assertBadResponse(String json, String reason) {
        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo(FailureCode.PROVIDER_BAD_RESPONSE))
                .hasMessageContaining(reason);
    }

    private static ProviderAnswer map(String json) throws JsonProcessingException {
        return ChatResponseMapper.toAnswer(ObjectMappers.jsonMapper().readValue(json, ChatCompletion.class));
    }
}
