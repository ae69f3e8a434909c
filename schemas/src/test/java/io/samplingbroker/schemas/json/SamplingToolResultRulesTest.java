package io.samplingbroker.schemas.json;

import static io.samplingbroker.schemas.json.JsonAssertions.assertJsonEquals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ToolResultContent;

/**
 * MCP 2025-11-25 tool results in {@code sampling/createMessage} params: a user message holding {@code tool_result}
 * blocks holds nothing else, and each answers a {@code tool_use} (same id) of the immediately previous message, an
 * assistant message. A violation names the offending member's pointer.
 */
class SamplingToolResultRulesTest {

    private static final String ASK = "{'role':'user','content':{'type':'text','text':'Weather in Paris and London?'}}";
    private static final String TWO_CALLS = "{'role':'assistant','content':["
            + "{'type':'tool_use','id':'call_1','name':'get_weather','input':{'city':'Paris'}},"
            + "{'type':'tool_use','id':'call_2','name':'get_weather','input':{'city':'London'}}]}";

    @Test
    void givenAToolResultAfterAnAssistantToolUseWithTheSameId_whenRead_thenItIsAccepted() {
        // Given
        JsonNode json = params(ASK,
                "{'role':'assistant','content':{'type':'tool_use','id':'call_1','name':'get_weather','input':{}}}",
                "{'role':'user','content':{'type':'tool_result','toolUseId':'call_1',"
                        + "'content':[{'type':'text','text':'18C'}]}}");
        // When
        CreateMessageParams params = SamplingParamsJson.fromJson(json);
        // Then
        assertThat(params.getMessages().get(2).getContent()).singleElement()
                .isInstanceOfSatisfying(ToolResultContent.class, r -> assertThat(r.getToolUseId()).isEqualTo("call_1"));
        assertJsonEquals(SamplingParamsJson.toJson(params), json);
    }

    @Test
    void givenTwoToolResultsAnsweringTwoToolUses_whenRead_thenBothAreAccepted() {
        // Given: answered in the other order, which the rule allows
        JsonNode json = params(ASK, TWO_CALLS, "{'role':'user','content':["
                + "{'type':'tool_result','toolUseId':'call_2','content':[{'type':'text','text':'12C'}]},"
                + "{'type':'tool_result','toolUseId':'call_1','content':[],'isError':true}]}");
        // When
        CreateMessageParams params = SamplingParamsJson.fromJson(json);
        // Then
        assertThat(params.getMessages().get(2).getContent())
                .extracting(block -> ((ToolResultContent) block).getToolUseId())
                .containsExactly("call_2", "call_1");
    }

    @Test
    void givenAToolResultAnsweringAToolUseNextToText_whenRead_thenItIsAccepted() {
        // Given: the assistant may say something besides its tool_use; only the user side is restricted
        JsonNode json = params(ASK, "{'role':'assistant','content':[{'type':'text','text':'Let me look.'},"
                        + "{'type':'tool_use','id':'call_7','name':'get_weather','input':{}}]}",
                "{'role':'user','content':[{'type':'tool_result','toolUseId':'call_7','content':[]}]}",
                "{'role':'assistant','content':{'type':'text','text':'It is 18C.'}}",
                "{'role':'user','content':{'type':'text','text':'Thanks.'}}");
        // When
        CreateMessageParams params = SamplingParamsJson.fromJson(json);
        // Then
        assertThat(params.getMessages()).hasSize(5);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("tool_result mixed with text",
                        params(ASK, TWO_CALLS, "{'role':'user','content':["
                                + "{'type':'tool_result','toolUseId':'call_1','content':[]},"
                                + "{'type':'text','text':'and also...'}]}"),
                        "/messages/2/content: a user message holding tool_result blocks must hold nothing else;"
                                + " block 1 is text"),
                Arguments.of("tool_result after an image",
                        params(ASK, TWO_CALLS, "{'role':'user','content':["
                                + "{'type':'image','data':'R0lGODlhAQABAAAAACw=','mimeType':'image/gif'},"
                                + "{'type':'tool_result','toolUseId':'call_1','content':[]}]}"),
                        "/messages/2/content: a user message holding tool_result blocks must hold nothing else;"
                                + " block 0 is image"),
                Arguments.of("tool_result mixed with a block of an untyped kind",
                        params(ASK, TWO_CALLS, "{'role':'user','content':["
                                + "{'type':'tool_result','toolUseId':'call_1','content':[]},"
                                + "{'type':'tool_result','toolUseId':'call_2','content':[]},"
                                + "{'type':'resource_link','uri':'https://x.example/','name':'x'}]}"),
                        "/messages/2/content: a user message holding tool_result blocks must hold nothing else;"
                                + " block 2 is resource_link"),
                Arguments.of("tool_result with an unknown id",
                        params(ASK, TWO_CALLS, "{'role':'user','content':["
                                + "{'type':'tool_result','toolUseId':'call_9','content':[]}]}"),
                        "/messages/2/content/0/toolUseId: tool_result 'call_9' answers no tool_use: the previous"
                                + " assistant message (/messages/1) holds no tool_use with that id"),
                Arguments.of("second of two tool_results with an unknown id",
                        params(ASK, TWO_CALLS, "{'role':'user','content':["
                                + "{'type':'tool_result','toolUseId':'call_1','content':[]},"
                                + "{'type':'tool_result','toolUseId':'CALL_2','content':[]}]}"),
                        "/messages/2/content/1/toolUseId: tool_result 'CALL_2' answers no tool_use: the previous"
                                + " assistant message (/messages/1) holds no tool_use with that id"),
                Arguments.of("tool_result as the first message",
                        params("{'role':'user','content':{'type':'tool_result','toolUseId':'call_1','content':[]}}"),
                        "/messages/0/content/toolUseId: tool_result 'call_1' answers no tool_use: it is in the first"
                                + " message, with no assistant message before it"),
                Arguments.of("tool_result after a user message",
                        params(ASK, "{'role':'user','content':["
                                + "{'type':'tool_result','toolUseId':'call_1','content':[]}]}"),
                        "/messages/1/content/0/toolUseId: tool_result 'call_1' answers no tool_use: the previous"
                                + " message (/messages/0) is a user message, not an assistant message"),
                Arguments.of("tool_result whose tool_use is two messages back",
                        params(ASK, TWO_CALLS,
                                "{'role':'user','content':[{'type':'tool_result','toolUseId':'call_1','content':[]}]}",
                                "{'role':'assistant','content':{'type':'text','text':'Paris is 18C.'}}",
                                "{'role':'user','content':[{'type':'tool_result','toolUseId':'call_2','content':[]}]}"),
                        "/messages/4/content/0/toolUseId: tool_result 'call_2' answers no tool_use: the previous"
                                + " assistant message (/messages/3) holds no tool_use with that id"),
                Arguments.of("tool_result answering a tool_use nested in a tool_result",
                        params(ASK, "{'role':'assistant','content':{'type':'text','text':'ok'}}",
                                "{'role':'user','content':{'type':'tool_result','toolUseId':'x','content':["
                                        + "{'type':'tool_use','id':'x','name':'n','input':{}}]}}"),
                        "/messages/2/content/toolUseId: tool_result 'x' answers no tool_use: the previous"
                                + " assistant message (/messages/1) holds no tool_use with that id"),
                Arguments.of("a very long unknown id is cut short in the message",
                        params(ASK, TWO_CALLS, "{'role':'user','content':[{'type':'tool_result','toolUseId':'"
                                + "a".repeat(200) + "','content':[]}]}"),
                        "/messages/2/content/0/toolUseId: tool_result '" + "a".repeat(64) + "...' answers no"
                                + " tool_use: the previous assistant message (/messages/1) holds no tool_use with"
                                + " that id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void givenToolResultsBreakingTheMcpRules_whenRead_thenTheErrorNamesThePointerAndTheProblem(String caseName,
            JsonNode json, String expectedMessage) {
        assertThatThrownBy(() -> SamplingParamsJson.fromJson(json))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessage(expectedMessage);
    }

    @Test
    void givenToolResultsMixedWithText_whenRead_thenThePointerIsTheMessageContent() {
        // Given
        JsonNode json = params(ASK, TWO_CALLS, "{'role':'user','content':[{'type':'text','text':'first'},"
                + "{'type':'tool_result','toolUseId':'call_1','content':[]}]}");
        // When / Then
        assertThatThrownBy(() -> SamplingParamsJson.fromJson(json))
                .isInstanceOfSatisfying(InvalidSamplingJsonException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/messages/2/content"));
    }

    /** Params with the given messages (JSON with ' for "), maxTokens 100. */
    static JsonNode params(String... messages) {
        return McpJson.parse(("{'messages':[" + String.join(",", messages) + "],'maxTokens':100}").replace('\'', '"'));
    }
}
