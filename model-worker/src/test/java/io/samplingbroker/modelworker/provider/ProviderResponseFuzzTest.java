package io.samplingbroker.modelworker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;

import com.anthropic.models.messages.Message;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.responses.Response;

import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.provider.anthropic.MessagesResponseMapper;
import io.samplingbroker.modelworker.provider.openai.ChatResponseMapper;
import io.samplingbroker.modelworker.provider.openai.ResponsesResponseMapper;
import io.samplingbroker.modelworker.testing.McpResults;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.testsupport.AnthropicMessagesServer;
import io.samplingbroker.testsupport.ChatCompletionsServer;

/**
 * Coverage-guided: any 2xx body a provider sends (a Chat Completion, a Responses API response, an Anthropic message)
 * is read as the SDK reads it (its own Jackson mapper; a body it cannot read is, by the SDK and our error mapping,
 * {@link FailureCode#PROVIDER_BAD_RESPONSE}), then the response mapper either refuses it with a
 * {@link ProviderFailure} of {@code PROVIDER_BAD_RESPONSE} or gives a result that is a valid MCP
 * {@code sampling/createMessage} result, carried through Avro and JSON unchanged, with the body's text, tool calls
 * (ids, names, an object input) and model. Any other exception is a finding: it would escape the SDK's future
 * unhandled and leave the attempt to time out. Seeds: the documented bodies of the API references, as the unit tests
 * and test-support's stand-in servers send them.
 */
class ProviderResponseFuzzTest {

    /** Reads the body as plain JSON to compare with; duplicate members make it give up (the SDK keeps one of them). */
    private static final JsonMapper PLAIN = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static Stream<byte[]> chatCompletions() {
        return utf8(Stream.of(
                ChatCompletionsServer.completion("gpt-4.1-2025-04-14", "Hello! How can I assist you today?", "stop")
                        .body(),
                ChatCompletionsServer.completion("gpt-4o-mini", "Once upon a", "length").body(),
                """
                {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Again."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                   "prompt_tokens_details":{"cached_tokens":1920}}}
                """,
                """
                {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_abc123","type":"function",
                    "function":{"name":"get_current_weather","arguments":"{\\n\\"location\\": \\"Boston, MA\\"\\n}"}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}
                """,
                """
                {"id":"c","object":"chat.completion","created":1,"model":"llama3.1:8b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Checking.","tool_calls":[
                   {"id":"call_x","type":"function","function":{"name":"noop","arguments":""}},
                   {"id":"call_y","type":"custom","custom":{"name":"grammar","input":"x"}}]},"finish_reason":"stop"}]}
                """,
                """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,
                   "refusal":"I'm sorry, I can't help with that."},"finish_reason":"content_filter"}]}
                """,
                """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[]}
                """));
    }

    static Stream<byte[]> responses() {
        return utf8(Stream.of(
                ChatCompletionsServer.response("gpt-4.1-2025-04-14", "Paris.", "completed").body(),
                ChatCompletionsServer.response("gpt-4.1", null, "completed").body(),
                ChatCompletionsServer.response("gpt-4.1", "It was a dark and", "incomplete").body(),
                """
                {"id":"resp_1","object":"response","created_at":1741476542,"status":"completed","model":"o3",
                 "output":[{"type":"reasoning","id":"rs_1","summary":[]},
                   {"type":"message","id":"msg_1","status":"completed","role":"assistant",
                    "content":[{"type":"refusal","refusal":"No."},{"type":"output_text","text":"Sorry.","annotations":[]}]}],
                 "incomplete_details":{"reason":"content_filter"},"usage":null}
                """,
                """
                {"id":"resp_2","object":"response","created_at":1,"status":"failed","model":"gpt-4.1",
                 "error":{"code":"server_error","message":"The model failed."},"output":[]}
                """));
    }

    static Stream<byte[]> messages() {
        return utf8(Stream.of(
                AnthropicMessagesServer.text("claude-sonnet-4-5-20250929", "Sunny.", "end_turn").body(),
                AnthropicMessagesServer.cachedText("claude-sonnet-4-5-20250929", "Cached.", 25, 1_000, 200).body(),
                AnthropicMessagesServer.toolUse("claude-sonnet-4-5-20250929", "toolu_9", "get_weather",
                        "{\"city\":\"Lyon\",\"units\":{\"temp\":\"C\"}}").body(),
                """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-opus-4-1",
                 "content":[{"type":"thinking","thinking":"Hmm.","signature":"c2ln"},
                   {"type":"redacted_thinking","data":"ZGF0YQ=="},{"type":"text","text":"No.","citations":null}],
                 "stop_reason":"refusal","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}
                """,
                """
                {"id":"msg_2","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],
                 "stop_reason":"stop_sequence","stop_sequence":"END","usage":{"input_tokens":3,"output_tokens":0,
                 "cache_creation_input_tokens":null,"cache_read_input_tokens":null}}
                """));
    }

    /** The SDKs' first read sets up their Kotlin-aware Jackson mappers: here, outside the first input's time limit. */
    @BeforeAll
    static void warmUpTheSdks() throws IOException {
        com.openai.core.ObjectMappers.jsonMapper().readValue("{}", ChatCompletion.class);
        com.openai.core.ObjectMappers.jsonMapper().readValue("{}", Response.class);
        com.anthropic.core.ObjectMappers.jsonMapper().readValue("{}", Message.class);
    }

    @MethodSource("chatCompletions")
    @DictionaryEntries({"\"id\"", "\"object\"", "\"chat.completion\"", "\"created\"", "\"model\"", "\"choices\"",
        "\"index\"", "\"message\"", "\"role\"", "\"assistant\"", "\"content\"", "\"refusal\"", "\"tool_calls\"",
        "\"type\"", "\"function\"", "\"custom\"", "\"name\"", "\"arguments\"", "\"finish_reason\"", "\"stop\"",
        "\"length\"", "\"tool_calls\"", "\"content_filter\"", "\"usage\"", "\"prompt_tokens\"",
        "\"completion_tokens\"", "\"prompt_tokens_details\"", "\"cached_tokens\"", "null", "\"{}\"", "[]", "{}"})
    @FuzzTest
    void givenAnyChatCompletionBody_whenMapped_thenAnMcpResultCarryingItOrABadResponse(byte[] body) {
        Mapped mapped = mapped(body, b -> com.openai.core.ObjectMappers.jsonMapper().readValue(b, ChatCompletion.class),
                ChatResponseMapper::toAnswer);
        if (mapped == null) {
            return;
        }
        JsonNode plain = mapped.plain();
        JsonNode message = plain.path("choices").path(0).path("message");
        Expected expected = new Expected();
        JsonNode content = message.path("content");
        if (content.isTextual() && !content.textValue().isEmpty()) {
            expected.text(content);
        } else if (!content.isValueNode() || content.isNull() || content.isTextual()) {
            expected.text(message.path("refusal"));
        } else {
            expected.unsure = true;
        }
        JsonNode calls = message.path("tool_calls");
        for (JsonNode call : calls.isArray() ? calls : PLAIN.createArrayNode()) {
            expected.call(call.path("id"));
        }
        expected.assertBlocksOf(mapped.result());
    }

    @MethodSource("responses")
    @DictionaryEntries({"\"id\"", "\"object\"", "\"response\"", "\"created_at\"", "\"status\"", "\"completed\"",
        "\"incomplete\"", "\"failed\"", "\"in_progress\"", "\"error\"", "\"code\"", "\"incomplete_details\"",
        "\"reason\"", "\"max_output_tokens\"", "\"content_filter\"", "\"model\"", "\"output\"", "\"type\"",
        "\"message\"", "\"role\"", "\"assistant\"", "\"content\"", "\"output_text\"", "\"text\"",
        "\"annotations\"", "\"refusal\"", "\"function_call\"", "\"call_id\"", "\"name\"", "\"arguments\"",
        "\"reasoning\"", "\"summary\"", "\"usage\"", "\"input_tokens\"", "\"input_tokens_details\"",
        "\"cached_tokens\"", "\"output_tokens\"", "\"output_tokens_details\"", "\"reasoning_tokens\"",
        "\"total_tokens\"", "null", "[]", "{}"})
    @FuzzTest
    void givenAnyResponsesApiBody_whenMapped_thenAnMcpResultCarryingItOrABadResponse(byte[] body) {
        Mapped mapped = mapped(body, b -> com.openai.core.ObjectMappers.jsonMapper().readValue(b, Response.class),
                ResponsesResponseMapper::toAnswer);
        if (mapped == null) {
            return;
        }
        JsonNode plain = mapped.plain();
        assertThat(plain.path("status").asText("")).as("a failed response is a bad response").isNotEqualTo("failed");
        Expected expected = new Expected();
        for (JsonNode item : arrayOrEmpty(plain.path("output"))) {
            String type = item.path("type").asText("");
            if (type.equals("message")) {
                for (JsonNode part : arrayOrEmpty(item.path("content"))) {
                    switch (part.path("type").asText("")) {
                        case "output_text" -> expected.text(part.path("text"));
                        case "refusal" -> expected.text(part.path("refusal"));
                        default -> { } // annotations-only or future parts carry no text for MCP
                    }
                }
            } else if (type.equals("function_call")) {
                expected.call(item.path("call_id"));
            }
        }
        expected.assertBlocksOf(mapped.result());
    }

    @MethodSource("messages")
    @DictionaryEntries({"\"id\"", "\"type\"", "\"message\"", "\"role\"", "\"assistant\"", "\"model\"",
        "\"content\"", "\"text\"", "\"citations\"", "\"tool_use\"", "\"name\"", "\"input\"", "\"thinking\"",
        "\"signature\"", "\"redacted_thinking\"", "\"server_tool_use\"", "\"stop_reason\"", "\"end_turn\"",
        "\"max_tokens\"", "\"stop_sequence\"", "\"refusal\"", "\"pause_turn\"", "\"usage\"", "\"input_tokens\"",
        "\"output_tokens\"", "\"cache_creation_input_tokens\"", "\"cache_read_input_tokens\"", "null", "[]", "{}"})
    @FuzzTest
    void givenAnyAnthropicMessageBody_whenMapped_thenAnMcpResultCarryingItOrABadResponse(byte[] body) {
        Mapped mapped = mapped(body, b -> com.anthropic.core.ObjectMappers.jsonMapper().readValue(b, Message.class),
                MessagesResponseMapper::toAnswer);
        if (mapped == null) {
            return;
        }
        JsonNode plain = mapped.plain();
        Expected expected = new Expected();
        for (JsonNode block : arrayOrEmpty(plain.path("content"))) {
            String type = block.path("type").asText("");
            if (type.equals("text")) {
                expected.text(block.path("text"));
            } else if (type.equals("tool_use")) {
                expected.call(block.path("id"));
            }
        }
        if (!"tool_use".equals(plain.path("stop_reason").asText(""))) {
            expected.calls = false; // the stop reason is the API's own, not derived from the blocks
        }
        expected.assertBlocksOf(mapped.result());
    }

    /**
     * The result mapped from the body, checked to travel Avro and JSON unchanged and to name the body's model, beside
     * the body as plain JSON; null when the SDK cannot read the body, the mapper refuses it as a bad response, or the
     * plain reading gives up: nothing more to compare.
     */
    private static <T> Mapped mapped(byte[] body, Reader<T> read, Function<T, ProviderAnswer> map) {
        T sdkBody = readOrNull(body, read);
        if (sdkBody == null) {
            return null;
        }
        ProviderAnswer answer = answerOrNull(() -> map.apply(sdkBody));
        if (answer == null) {
            return null;
        }
        CreateMessageResult result = answer.result();
        McpResults.assertCarriedUnchanged(result);
        JsonNode plain = plainOrNull(body);
        if (plain == null) {
            return null;
        }
        if (plain.path("model").isTextual()) {
            assertThat(result.getModel()).isEqualTo(plain.path("model").textValue());
        }
        return new Mapped(result, plain);
    }

    private record Mapped(CreateMessageResult result, JsonNode plain) {
    }

    /** The body as the SDK reads it, or null where it cannot, which the SDK and our error mapping make a bad response. */
    private static <T> T readOrNull(byte[] body, Reader<T> read) {
        try {
            return read.read(body);
        } catch (IOException | RuntimeException unreadable) {
            // the SDK's handler wraps any Exception in *InvalidDataException ("Error reading response"), which
            // OpenAiErrors / AnthropicErrors classify as PROVIDER_BAD_RESPONSE; an Error is not caught there
            return null;
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(byte[] body) throws IOException;
    }

    /** The mapped answer, or null when the mapper refused the body as a bad response, the one refusal it has. */
    private static ProviderAnswer answerOrNull(Supplier<ProviderAnswer> map) {
        try {
            return map.get();
        } catch (ProviderFailure refused) {
            assertThat(refused.code()).isEqualTo(FailureCode.PROVIDER_BAD_RESPONSE);
            assertThat(refused.getMessage()).startsWith("The provider's answer is unusable: ");
            return null;
        }
    }

    private static JsonNode plainOrNull(byte[] body) {
        try {
            return PLAIN.readTree(body);
        } catch (IOException duplicateMembersOrNotJson) {
            return null;
        }
    }

    private static JsonNode arrayOrEmpty(JsonNode node) {
        return node.isArray() ? node : PLAIN.createArrayNode();
    }

    /**
     * What the result's blocks must be, read from the plain body: its texts (as text blocks) and tool calls (as
     * {@code tool_use} blocks with that id and an object input), in order, or one empty text when the body has
     * neither; any call makes the stop reason {@code toolUse}. A number or boolean where a text or id belongs makes the
     * reading unsure (Jackson gives the SDK its text), and nothing is compared.
     */
    private static final class Expected {
        final List<String> blocks = new ArrayList<>();
        boolean calls;
        boolean unsure;

        void text(JsonNode text) {
            if (text.isTextual()) {
                blocks.add("text:" + text.textValue());
            } else if (text.isValueNode() && !text.isNull()) {
                unsure = true;
            }
        }

        void call(JsonNode id) {
            calls = true;
            if (id.isTextual()) {
                blocks.add("tool_use:" + id.textValue());
            } else {
                unsure = true;
            }
        }

        void assertBlocksOf(CreateMessageResult result) {
            List<String> actual = new ArrayList<>();
            for (Object block : result.getContent()) {
                if (block instanceof TextContent text) {
                    actual.add("text:" + text.getText());
                } else {
                    ToolUseContent use = (ToolUseContent) block;
                    assertThat(McpJson.parse(use.getInput()).isObject()).as("a tool_use input is an object").isTrue();
                    actual.add("tool_use:" + use.getId());
                }
            }
            if (unsure) {
                return;
            }
            assertThat(actual).isEqualTo(blocks.isEmpty() ? List.of("text:") : blocks);
            if (calls) {
                assertThat(result.getStopReason()).isEqualTo("toolUse");
            }
        }
    }

    private static Stream<byte[]> utf8(Stream<String> bodies) {
        return bodies.map(body -> body.getBytes(StandardCharsets.UTF_8));
    }
}
