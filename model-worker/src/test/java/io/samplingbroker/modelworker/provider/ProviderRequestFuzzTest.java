package io.samplingbroker.modelworker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;

import com.anthropic.models.messages.MessageCreateParams;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.ResponseCreateParams;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.Tool;
import io.samplingbroker.events.mcp.ToolChoiceMode;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.provider.anthropic.MessagesRequestMapper;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.provider.openai.ChatRequestMapper;
import io.samplingbroker.modelworker.provider.openai.ResponsesRequestMapper;
import io.samplingbroker.modelworker.testing.McpResults;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;

/**
 * Coverage-guided: any {@code sampling/createMessage} params text the contract's validator accepts is, by each
 * provider's request mapping (Chat Completions, Responses, Anthropic Messages), either refused with
 * {@link FailureCode#UNSUPPORTED_CONTENT} (a {@link ProviderFailure}, which a fallback may take) or mapped to a request
 * whose body the SDK writes, carrying the conversation: per MCP message the messages or items the mapping documents,
 * each text, each {@code tool_use} id and {@code tool_result} answer, the tools, the limits. The offline model answers
 * every accepted request with a result MCP can carry. Any other exception, or a body that lost or moved something, is
 * a finding. Text the validator refuses is fuzzed in the schemas module. Seeds: the shapes of the schemas module's
 * corpus of real requests, and those the mappings refuse or treat apart.
 */
class ProviderRequestFuzzTest {

    private static final String MODEL = "model-x";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Params reach the broker as the {@code params} of a JSON-RPC request, read by Jackson to 1000 levels: deeper
     * than 999 levels of their own they never reach a mapping.
     */
    private static final int MAX_PARAMS_DEPTH = 999;

    static Stream<byte[]> requests() {
        return Stream.of(
                // the shapes of the schemas module's corpus of real requests
                """
                {"messages":[{"role":"user","content":{"type":"text","text":"What is the capital of France?"}}],
                 "maxTokens":100}
                """,
                """
                {"messages":[
                  {"role":"user","content":[{"type":"text","text":"Summarise the attached report."}]},
                  {"role":"assistant","content":[{"type":"text","text":"Which report do you mean?"}]},
                  {"role":"user","content":[{"type":"text","text":"The Q3 one.","annotations":{"priority":0.9}},
                    {"type":"text","text":"Revenue grew 12%."}]}],
                 "modelPreferences":{"hints":[{"name":"claude-3-sonnet"}],"costPriority":0.3},
                 "systemPrompt":"You are a concise financial analyst.","includeContext":"thisServer",
                 "temperature":0.7,"maxTokens":400,"stopSequences":["\n\nHuman:","END"],"metadata":{"tags":["q3"]}}
                """,
                """
                {"messages":[{"role":"user","content":[{"type":"text","text":"Describe this chart."},
                  {"type":"image","data":"iVBORw0KGgo=","mimeType":"image/png"}]}],"includeContext":"none","maxTokens":256}
                """,
                """
                {"messages":[{"role":"user","content":{"type":"audio","data":"UklGRiQAAABXQVZF","mimeType":"audio/wav"}}],
                 "systemPrompt":"Transcribe the audio verbatim.","maxTokens":1000,"temperature":0}
                """,
                """
                {"messages":[
                  {"role":"user","content":{"type":"text","text":"What's the weather in Paris and London?"}},
                  {"role":"assistant","content":[
                    {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"London"},"_meta":{"t":1}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","toolUseId":"call_1","content":[{"type":"text","text":"18°C, sunny"}],
                     "structuredContent":{"temperature":18}},
                    {"type":"tool_result","toolUseId":"call_2","content":[
                      {"type":"text","text":"Weather service unavailable"},
                      {"type":"image","data":"R0lGODlhAQABAAAAACw=","mimeType":"image/gif"},
                      {"type":"resource_link","uri":"https://weather.example/london","name":"london"}],"isError":true}]}],
                 "tools":[{"name":"get_weather","title":"Weather lookup","description":"Get the weather for a city",
                   "inputSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
                   "outputSchema":{"type":"object"},"annotations":{"readOnlyHint":true}},
                  {"name":"noop","inputSchema":{"type":"object"}}],
                 "toolChoice":{"mode":"auto"},"maxTokens":1024}
                """,
                """
                {"messages":[{"role":"user","content":[{"type":"text","text":"Plan my week.","_meta":{"o":"c"}},
                  {"type":"resource","resource":{"uri":"file:///calendar.ics","text":"BEGIN:VCALENDAR"}},
                  {"type":"hologram","frames":3}],"_meta":{"m":1},"futureMessageField":"kept"}],
                 "maxTokens":2048,"systemPrompt":null,"toolChoice":{"mode":"required","future":1},
                 "tools":[{"name":"lookup","inputSchema":{"type":"object","properties":{}}}],"task":{"ttl":60000},
                 "_meta":{"progressToken":"tok-42"},"inputResponses":{"k":"v"}}
                """,
                """
                {"messages":[{"role":"assistant","content":{"type":"text","text":"Previous answer."}},
                  {"role":"user","content":{"type":"text","text":"Now without tools, please."}}],
                 "includeContext":"allServers","tools":[],"toolChoice":{"mode":"none"},"task":{},"maxTokens":50,
                 "temperature":1.5,"stopSequences":[]}
                """,
                // what the mappings refuse or treat apart: audio a format cannot carry, an image Anthropic cannot
                """
                {"messages":[{"role":"user","content":[{"type":"audio","data":"T2dnUw==","mimeType":"audio/ogg"},
                  {"type":"image","data":"PHN2Zz4=","mimeType":"image/svg+xml"},
                  {"type":"audio","data":"SUQz","mimeType":"audio/mpeg; codecs=mp3"}]}],"maxTokens":5}
                """,
                // media and structured content in a tool result
                """
                {"messages":[
                  {"role":"assistant","content":{"type":"tool_use","id":"c1","name":"lookup","input":{}}},
                  {"role":"user","content":{"type":"tool_result","toolUseId":"c1","content":[
                    {"type":"image","data":"iVBORw0KGgo=","mimeType":"image/png"},
                    {"type":"audio","data":"UklGRg==","mimeType":"audio/wav"}],"structuredContent":{"t":18},"isError":true}}],
                 "tools":[{"name":"lookup","inputSchema":{"type":"object"}}],"toolChoice":{"mode":"required"},"maxTokens":10}
                """,
                // an image in an assistant turn, a tool_use in a user turn
                """
                {"messages":[{"role":"assistant","content":{"type":"image","data":"iVBORw0KGgo=","mimeType":"image/png"}},
                  {"role":"user","content":{"type":"tool_use","id":"u","name":"n","input":{"a":[1,2.5e3,null]}}}],
                 "tools":[{"name":"t","description":"d","inputSchema":{"type":"object","properties":{"a":{"type":"array"}}}}],
                 "systemPrompt":"","stopSequences":["\n"],"temperature":2,"maxTokens":9007199254740993}
                """,
                // empty turns, a block type no format has a place for
                """
                {"messages":[{"role":"user","content":[]},{"role":"assistant","content":[]},
                  {"role":"user","content":{"type":"resource_link","uri":"file:///a","name":"a"}}],"maxTokens":1}
                """)
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The SDKs' first serialisation sets up their Kotlin-aware Jackson mappers (seconds on a busy machine): done here,
     * outside the time limit of the first input, with the SDKs' own builders only.
     */
    @BeforeAll
    static void warmUpTheSdks() throws Exception {
        com.openai.core.ObjectMappers.jsonMapper().writeValueAsBytes(ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage("warm-up").build()._body());
        com.openai.core.ObjectMappers.jsonMapper().writeValueAsBytes(ResponseCreateParams.builder().model(MODEL)
                .input("warm-up").build()._body());
        com.anthropic.core.ObjectMappers.jsonMapper().writeValueAsBytes(MessageCreateParams.builder().model(MODEL)
                .maxTokens(1).addUserMessage("warm-up").build()._body());
    }

    @MethodSource("requests")
    @DictionaryEntries({"\"messages\"", "\"role\"", "\"user\"", "\"assistant\"", "\"content\"", "\"type\"",
        "\"text\"", "\"image\"", "\"audio\"", "\"tool_use\"", "\"tool_result\"", "\"toolUseId\"", "\"id\"",
        "\"name\"", "\"input\"", "\"data\"", "\"mimeType\"", "\"maxTokens\"", "\"temperature\"", "\"systemPrompt\"",
        "\"stopSequences\"", "\"tools\"", "\"inputSchema\"", "\"toolChoice\"", "\"mode\"", "\"required\"",
        "\"auto\"", "\"none\"", "\"isError\"", "\"structuredContent\"", "\"description\"", "\"title\"",
        "\"audio/wav\"", "\"audio/mpeg\"", "\"audio/ogg\"", "\"image/png\"", "\"image/jpeg\"", "\"image/svg+xml\"",
        "\"resource_link\"", "\";\"", "\"QUJD\"", "[]", "{}", "null", "true"})
    @FuzzTest
    void givenAnyParamsTheValidatorAccepts_whenMappedForEachProvider_thenARequestCarryingThemOrUnsupportedContent(
            byte[] input) throws Exception {
        CreateMessageParams params;
        try {
            JsonNode text = McpJson.parse(new String(input, StandardCharsets.UTF_8));
            if (text != null && McpBlocks.depth(text) > MAX_PARAMS_DEPTH) {
                return;
            }
            params = SamplingParamsJson.fromJson(text);
        } catch (InvalidSamplingJsonException refused) {
            return; // the server gets -32602; the validator is fuzzed in the schemas module
        }

        JsonNode chat = mapped(() -> com.openai.core.ObjectMappers.jsonMapper()
                .writeValueAsBytes(ChatRequestMapper.toRequest(params, MODEL)._body()));
        if (chat != null) {
            assertChatCarries(params, chat);
        }

        JsonNode responses = mapped(() -> com.openai.core.ObjectMappers.jsonMapper()
                .writeValueAsBytes(ResponsesRequestMapper.toRequest(params, MODEL)._body()));
        if (responses != null) {
            assertResponsesCarries(params, responses);
        }
        if (params.getStopSequences() != null && !params.getStopSequences().isEmpty()) {
            assertThat(responses).as("the Responses API has no stop sequences: the request must be refused").isNull();
        }

        JsonNode messages = mapped(() -> com.anthropic.core.ObjectMappers.jsonMapper()
                .writeValueAsBytes(MessagesRequestMapper.toRequest(params, MODEL)._body()));
        if (messages != null) {
            assertMessagesCarries(params, messages);
        }
        if (params.getMessages().stream().anyMatch(m -> m.getContent().stream().anyMatch(AudioContent.class::isInstance))) {
            assertThat(messages).as("Anthropic takes no audio: the request must be refused").isNull();
        }

        ProviderAnswer offline = OfflineEchoModel.answer(params);
        assertOfflineAnswer(params, offline);
    }

    /** The body the SDK puts on the wire, re-read as plain JSON; null when the mapping refused the content. */
    private static JsonNode mapped(Body body) throws Exception {
        byte[] wire;
        try {
            wire = body.write();
        } catch (ProviderFailure refused) {
            assertThat(refused.code()).isEqualTo(FailureCode.UNSUPPORTED_CONTENT);
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
        return JSON.readTree(wire);
    }

    @FunctionalInterface
    private interface Body {
        byte[] write() throws Exception;
    }

    // --- Chat Completions --------------------------------------------------------------------------------------------

    private static void assertChatCarries(CreateMessageParams params, JsonNode body) {
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("max_tokens").asLong()).isEqualTo(params.getMaxTokens());
        assertTemperature(params, body);
        if (params.getStopSequences() != null && !params.getStopSequences().isEmpty()) {
            assertThat(strings(body.get("stop"))).isEqualTo(params.getStopSequences());
        }
        assertToolNames(params, body.path("tools"), tool -> tool.get("function").get("name"));

        JsonNode sent = body.get("messages");
        int at = 0;
        if (hasSystemPrompt(params)) {
            assertThat(sent.get(0).get("role").asText()).isEqualTo("system");
            assertThat(sent.get(0).get("content").asText()).isEqualTo(params.getSystemPrompt());
            at = 1;
        }
        for (SamplingMessage message : params.getMessages()) {
            List<Object> blocks = message.getContent();
            if (message.getRole() == Role.assistant) {
                JsonNode assistant = sent.get(at++);
                assertThat(assistant.get("role").asText()).isEqualTo("assistant");
                List<String> ids = new ArrayList<>();
                assistant.path("tool_calls").forEach(call -> ids.add(call.get("id").asText()));
                assertThat(ids).isEqualTo(toolUseIds(blocks));
                assertTextsIn(blocks, assistant.path("content").asText(""));
            } else if (blocks.stream().anyMatch(ToolResultContent.class::isInstance)) {
                boolean media = false;
                for (Object block : blocks) {
                    ToolResultContent result = (ToolResultContent) block;
                    JsonNode tool = sent.get(at++);
                    assertThat(tool.get("role").asText()).isEqualTo("tool");
                    assertThat(tool.get("tool_call_id").asText()).isEqualTo(result.getToolUseId());
                    assertTextsIn(result.getContent(), tool.get("content").asText());
                    media |= result.getContent().stream().anyMatch(ProviderRequestFuzzTest::isMedia);
                }
                if (media) {
                    assertThat(sent.get(at++).get("role").asText()).isEqualTo("user");
                }
            } else {
                JsonNode user = sent.get(at++);
                assertThat(user.get("role").asText()).isEqualTo("user");
                JsonNode content = user.get("content");
                if (blocks.size() == 1 && blocks.get(0) instanceof TextContent text) {
                    assertThat(content.asText()).isEqualTo(text.getText());
                } else {
                    assertThat(content.size()).isEqualTo(blocks.size());
                    for (int i = 0; i < blocks.size(); i++) {
                        assertPart(blocks.get(i), content.get(i), "text");
                    }
                }
            }
        }
        assertThat(sent.size()).as("messages sent beyond those of the conversation").isEqualTo(at);
    }

    // --- Responses ---------------------------------------------------------------------------------------------------

    private static void assertResponsesCarries(CreateMessageParams params, JsonNode body) {
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("max_output_tokens").asLong()).isEqualTo(params.getMaxTokens());
        assertThat(body.get("store").asBoolean(true)).as("the provider keeps no copy").isFalse();
        assertTemperature(params, body);
        if (hasSystemPrompt(params)) {
            assertThat(body.get("instructions").asText()).isEqualTo(params.getSystemPrompt());
        } else {
            assertThat(body.has("instructions")).isFalse();
        }
        assertToolNames(params, body.path("tools"), tool -> tool.get("name"));

        JsonNode items = body.get("input");
        int at = 0;
        for (SamplingMessage message : params.getMessages()) {
            List<Object> blocks = message.getContent();
            if (message.getRole() == Role.assistant) {
                List<String> ids = toolUseIds(blocks);
                boolean texts = blocks.stream().anyMatch(b -> b instanceof TextContent || b instanceof OtherContent);
                if (texts || ids.isEmpty()) {
                    JsonNode text = items.get(at++);
                    assertThat(text.get("role").asText()).isEqualTo("assistant");
                    assertTextsIn(blocks, text.get("content").asText());
                }
                for (String id : ids) {
                    JsonNode call = items.get(at++);
                    assertThat(call.get("type").asText()).isEqualTo("function_call");
                    assertThat(call.get("call_id").asText()).isEqualTo(id);
                }
            } else if (blocks.stream().anyMatch(ToolResultContent.class::isInstance)) {
                boolean media = false;
                for (Object block : blocks) {
                    ToolResultContent result = (ToolResultContent) block;
                    JsonNode output = items.get(at++);
                    assertThat(output.get("type").asText()).isEqualTo("function_call_output");
                    assertThat(output.get("call_id").asText()).isEqualTo(result.getToolUseId());
                    assertTextsIn(result.getContent(), output.get("output").asText());
                    media |= result.getContent().stream().anyMatch(ProviderRequestFuzzTest::isMedia);
                }
                if (media) {
                    assertThat(items.get(at++).get("role").asText()).isEqualTo("user");
                }
            } else {
                JsonNode user = items.get(at++);
                assertThat(user.get("role").asText()).isEqualTo("user");
                JsonNode content = user.get("content");
                assertThat(content.size()).isEqualTo(blocks.size());
                for (int i = 0; i < blocks.size(); i++) {
                    assertPart(blocks.get(i), content.get(i), "input_text");
                }
            }
        }
        assertThat(items.size()).as("input items beyond those of the conversation").isEqualTo(at);
    }

    // --- Anthropic Messages ------------------------------------------------------------------------------------------

    private static void assertMessagesCarries(CreateMessageParams params, JsonNode body) {
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("max_tokens").asLong()).isEqualTo(params.getMaxTokens());
        assertTemperature(params, body);
        if (hasSystemPrompt(params)) {
            assertThat(body.get("system").asText()).isEqualTo(params.getSystemPrompt());
        }
        if (params.getStopSequences() != null && !params.getStopSequences().isEmpty()) {
            assertThat(strings(body.get("stop_sequences"))).isEqualTo(params.getStopSequences());
        }
        assertToolNames(params, body.path("tools"), tool -> tool.get("name"));

        JsonNode sent = body.get("messages");
        assertThat(sent.size()).as("one Anthropic message per MCP message").isEqualTo(params.getMessages().size());
        for (int m = 0; m < sent.size(); m++) {
            SamplingMessage message = params.getMessages().get(m);
            assertThat(sent.get(m).get("role").asText()).isEqualTo(message.getRole().name());
            JsonNode content = sent.get(m).get("content");
            assertThat(content.size()).as("one block per MCP block").isEqualTo(message.getContent().size());
            for (int b = 0; b < content.size(); b++) {
                Object block = message.getContent().get(b);
                JsonNode mapped = content.get(b);
                if (block instanceof ToolUseContent use) {
                    assertThat(mapped.get("type").asText()).isEqualTo("tool_use");
                    assertThat(mapped.get("id").asText()).isEqualTo(use.getId());
                    assertThat(mapped.get("name").asText()).isEqualTo(use.getName());
                    assertThat(mapped.get("input")).isEqualTo(plain(use.getInput()));
                } else if (block instanceof ToolResultContent result) {
                    assertThat(mapped.get("type").asText()).isEqualTo("tool_result");
                    assertThat(mapped.get("tool_use_id").asText()).isEqualTo(result.getToolUseId());
                    assertThat(mapped.path("is_error").asBoolean(false))
                            .isEqualTo(Boolean.TRUE.equals(result.getIsError()));
                } else {
                    assertPart(block, mapped, "text");
                }
            }
        }
    }

    // --- the offline model -------------------------------------------------------------------------------------------

    private static void assertOfflineAnswer(CreateMessageParams params, ProviderAnswer answer) {
        McpResults.assertCarriedUnchanged(answer.result());
        assertThat(answer.result().getModel()).isEqualTo(ModelCatalogue.OFFLINE_MODEL);
        assertThat(answer.outputTokens()).isBetween(0L, params.getMaxTokens());
        Object only = answer.result().getContent().get(0);
        boolean toolRequired = params.getTools() != null && !params.getTools().isEmpty()
                && params.getToolChoice() != null && params.getToolChoice().getMode() == ToolChoiceMode.required;
        if (toolRequired) {
            assertThat(answer.result().getStopReason()).isEqualTo("toolUse");
            assertThat(((ToolUseContent) only).getName()).isEqualTo(params.getTools().get(0).getName());
        } else {
            assertThat(answer.result().getStopReason()).isIn("endTurn", "maxTokens");
            assertThat(only).isInstanceOf(TextContent.class);
        }
    }

    // --- shared ------------------------------------------------------------------------------------------------------

    /** A user part of an array: text as a text part of the format's type, other blocks as parts of their own. */
    private static void assertPart(Object block, JsonNode part, String textType) {
        if (block instanceof TextContent text) {
            assertThat(part.get("type").asText()).isEqualTo(textType);
            assertThat(part.get("text").asText()).isEqualTo(text.getText());
        } else if (block instanceof OtherContent other) {
            assertThat(part.get("type").asText()).isEqualTo(textType);
            assertThat(plain(part.get("text").asText())).isEqualTo(plain(other.getJson()));
        } else {
            assertThat(part.get("type").asText()).as("the part of a %s block", block.getClass().getSimpleName())
                    .isNotEqualTo(textType);
        }
    }

    /** Each text block's text (and the JSON text of blocks the format has no place for) is in {@code sent}. */
    private static void assertTextsIn(List<Object> blocks, String sent) {
        for (Object block : blocks) {
            if (block instanceof TextContent text) {
                assertThat(sent).contains(text.getText());
            } else if (block instanceof OtherContent other) {
                assertThat(sent).contains(other.getJson());
            }
        }
    }

    private static void assertTemperature(CreateMessageParams params, JsonNode body) {
        if (params.getTemperature() == null) {
            assertThat(body.has("temperature")).isFalse();
        } else {
            assertThat(body.get("temperature").asDouble()).isEqualTo(params.getTemperature());
        }
    }

    private static void assertToolNames(CreateMessageParams params, JsonNode tools,
            Function<JsonNode, JsonNode> name) {
        List<String> expected = params.getTools() == null ? List.of()
                : params.getTools().stream().map(Tool::getName).toList();
        List<String> sent = new ArrayList<>();
        tools.forEach(tool -> sent.add(name.apply(tool).asText()));
        assertThat(sent).isEqualTo(expected);
    }

    private static List<String> toolUseIds(List<Object> blocks) {
        return blocks.stream().filter(ToolUseContent.class::isInstance).map(b -> ((ToolUseContent) b).getId()).toList();
    }

    private static boolean isMedia(Object block) {
        return block instanceof ImageContent || block instanceof AudioContent;
    }

    private static boolean hasSystemPrompt(CreateMessageParams params) {
        return params.getSystemPrompt() != null && !params.getSystemPrompt().isEmpty();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static JsonNode plain(String json) {
        return unchecked(() -> JSON.readTree(json));
    }

    private static <T> T unchecked(Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
