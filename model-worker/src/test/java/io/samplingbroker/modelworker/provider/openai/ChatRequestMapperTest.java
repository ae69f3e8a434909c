package io.samplingbroker.modelworker.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.modelworker.testing.McpParams;

/**
 * MCP params to the request body the Chat Completions API documents (platform.openai.com/docs/api-reference/chat):
 * each test writes the MCP params a server sends and the JSON body expected on the wire.
 */
class ChatRequestMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenSystemPromptTurnsAndOptions_whenMapped_thenTheBodyHasSystemFirstTemperatureMaxTokensAndStop() throws Exception {
        ChatCompletionCreateParams request = ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[
                  {"role":"user","content":[{"type":"text","text":"Summarise the attached report."}]},
                  {"role":"assistant","content":{"type":"text","text":"Which report do you mean?"}},
                  {"role":"user","content":[{"type":"text","text":"The Q3 one."},{"type":"text","text":"Revenue grew 12%."}]}],
                 "modelPreferences":{"hints":[{"name":"gpt-4o"}],"costPriority":0.3},
                 "systemPrompt":"You are a concise financial analyst.",
                 "includeContext":"thisServer","temperature":0.7,"maxTokens":400,
                 "stopSequences":["\\n\\nHuman:","END"],"metadata":{"tags":["q3"]}}
                """), "gpt-4o-mini");

        assertThat(body(request)).isEqualTo(JSON.readTree("""
                {"model":"gpt-4o-mini",
                 "messages":[
                   {"role":"system","content":"You are a concise financial analyst."},
                   {"role":"user","content":"Summarise the attached report."},
                   {"role":"assistant","content":"Which report do you mean?"},
                   {"role":"user","content":[{"type":"text","text":"The Q3 one."},{"type":"text","text":"Revenue grew 12%."}]}],
                 "temperature":0.7,"max_tokens":400,"stop":["\\n\\nHuman:","END"]}
                """));
    }

    @Test
    void givenImageAndWavAudio_whenMapped_thenTheyBecomeImageUrlWithADataUrlAndInputAudio() throws Exception {
        ChatCompletionCreateParams request = ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[{"role":"user","content":[
                  {"type":"text","text":"What is in this picture and this recording?"},
                  {"type":"image","data":"iVBORw0KGgo=","mimeType":"image/png"},
                  {"type":"audio","data":"UklGRiQAAABXQVZF","mimeType":"audio/wav"}]}],
                 "maxTokens":100}
                """), "gpt-4o-audio-preview");

        assertThat(body(request).get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":[
                  {"type":"text","text":"What is in this picture and this recording?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                  {"type":"input_audio","input_audio":{"data":"UklGRiQAAABXQVZF","format":"wav"}}]}]
                """));
    }

    @Test
    void givenToolsToolUseAndToolResults_whenMapped_thenFunctionsToolCallsAndToolMessagesAreSent() throws Exception {
        ChatCompletionCreateParams request = ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[
                  {"role":"user","content":{"type":"text","text":"Weather in Paris and London?"}},
                  {"role":"assistant","content":[
                    {"type":"text","text":"Let me check."},
                    {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"London"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","toolUseId":"call_1","content":[{"type":"text","text":"18C, sunny"}]},
                    {"type":"tool_result","toolUseId":"call_2","content":[
                      {"type":"text","text":"Weather service unavailable"},
                      {"type":"image","data":"R0lGODlhAQABAAAAACw=","mimeType":"image/gif"}],"isError":true}]}],
                 "tools":[
                   {"name":"get_weather","title":"Weather lookup","description":"Get the current weather for a city",
                    "inputSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
                    "annotations":{"readOnlyHint":true}},
                   {"name":"noop","title":"Does nothing","inputSchema":{"type":"object"}}],
                 "toolChoice":{"mode":"required"},"maxTokens":1024}
                """), "gpt-4o");

        JsonNode body = body(request);
        assertThat(body.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":"Weather in Paris and London?"},
                 {"role":"assistant","content":"Let me check.","tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                   {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"London\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"18C, sunny"},
                 {"role":"tool","tool_call_id":"call_2","content":"[tool error] Weather service unavailable"},
                 {"role":"user","content":[
                   {"type":"text","text":"Media returned by the tool calls above:"},
                   {"type":"image_url","image_url":{"url":"data:image/gif;base64,R0lGODlhAQABAAAAACw="}}]}]
                """));
        assertThat(body.get("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_weather","description":"Get the current weather for a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                 {"type":"function","function":{"name":"noop","description":"Does nothing","parameters":{"type":"object"}}}]
                """));
        assertThat(body.get("tool_choice").asText()).isEqualTo("required");
    }

    @Test
    void givenAToolResultWithOnlyStructuredContent_whenMapped_thenTheToolMessageCarriesItsJson() throws Exception {
        ChatCompletionCreateParams request = ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[
                  {"role":"assistant","content":{"type":"tool_use","id":"c1","name":"lookup","input":{}}},
                  {"role":"user","content":{"type":"tool_result","toolUseId":"c1","content":[],"structuredContent":{"temperature":18}}}],
                 "tools":[{"name":"lookup","inputSchema":{"type":"object"}}],"toolChoice":{"mode":"none"},"maxTokens":10}
                """), "m");

        JsonNode body = body(request);
        JsonNode assistant = body.get("messages").get(0);
        assertThat(assistant.has("content")).isFalse();
        assertThat(assistant.get("tool_calls").get(0).get("function").get("arguments").asText()).isEqualTo("{}");
        assertThat(JSON.readTree(body.get("messages").get(1).get("content").asText()))
                .isEqualTo(JSON.readTree("{\"temperature\":18}"));
        assertThat(body.get("tool_choice").asText()).isEqualTo("none");
    }

    @Test
    void givenToolChoiceWithoutTools_whenMapped_thenNoToolChoiceIsSent() throws Exception {
        ChatCompletionCreateParams request = ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[{"role":"user","content":{"type":"text","text":"hi"}}],"toolChoice":{"mode":"auto"},"maxTokens":5}
                """), "m");

        assertThat(body(request).has("tool_choice")).isFalse();
        assertThat(body(request).has("tools")).isFalse();
    }

    @Test
    void givenOggAudio_whenMapped_thenTheRequestFailsAsUnsupportedContentNamingTheType() {
        assertThatThrownBy(() -> ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[{"role":"user","content":{"type":"audio","data":"T2dnUw==","mimeType":"audio/ogg"}}],"maxTokens":5}
                """), "m"))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_CONTENT))
                .hasMessageContaining("audio/ogg")
                .hasMessageNotContaining("T2dnUw");
    }

    @Test
    void givenAnImageInAnAssistantTurn_whenMapped_thenTheRequestFailsAsUnsupportedContent() {
        assertThatThrownBy(() -> ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[{"role":"assistant","content":{"type":"image","data":"iVBORw0KGgo=","mimeType":"image/png"}}],"maxTokens":5}
                """), "m"))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_CONTENT));
    }

    @Test
    void givenNoMessagesAndNoSystemPrompt_whenMapped_thenTheRequestFailsAsUnsupportedContent() {
        // found by ProviderRequestFuzzTest: MCP allows "messages":[], the SDK's builder threw IllegalStateException
        assertThatThrownBy(() -> ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[],"maxTokens":50}
                """), "m"))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_CONTENT))
                .hasMessageContaining("no messages");
    }

    @Test
    void givenNoMessagesButASystemPrompt_whenMapped_thenTheSystemMessageIsSentAlone() throws Exception {
        ChatCompletionCreateParams request = ChatRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[],"systemPrompt":"Say hello.","maxTokens":50}
                """), "m");

        assertThat(body(request).get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"system","content":"Say hello."}]
                """));
    }

    /** The body exactly as the SDK puts it on the wire, re-read as plain JSON. */
    static JsonNode body(ChatCompletionCreateParams request) throws JsonProcessingException {
        return JSON.readTree(ObjectMappers.jsonMapper().writeValueAsString(request._body()));
    }
}
