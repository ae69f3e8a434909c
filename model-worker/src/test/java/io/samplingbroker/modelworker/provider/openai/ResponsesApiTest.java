package io.samplingbroker.modelworker.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.catalogue.CircuitBreakerSettings;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.catalogue.ProviderType;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderCall;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.modelworker.testing.McpParams;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.testsupport.ChatCompletionsServer;

/**
 * A provider of type {@code openai-responses}: the request on the wire of {@code POST /v1/responses} for every
 * content type and tool shape, the documented responses mapped back (text, function calls, stop reasons, usage with
 * cached input), and what the API cannot carry.
 */
class ResponsesApiTest {

    private final ChatCompletionsServer server = ChatCompletionsServer.start();
    private final OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider(new ProviderSettings("openai",
            ProviderType.OPENAI_RESPONSES, server.baseUrl(), "sk-test", ProviderSettings.DEFAULT_TIMEOUT,
            ProviderSettings.DEFAULT_CONNECT_TIMEOUT, 0, 4, CircuitBreakerSettings.OFF), Clock.systemUTC());

    @AfterEach
    void tearDown() {
        provider.close();
        server.close();
    }

    @Test
    void givenAConversationWithEveryContentTypeAndTools_whenCalled_thenTheResponsesRequestCarriesEachAsItsItem()
            throws Exception {
        server.reply(ChatCompletionsServer.response("gpt-4.1-2025-04-14", "Sunny.", "completed"));

        call("""
                {"systemPrompt":"Be brief.","maxTokens":200,"temperature":0.2,
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"Weather in Paris?"},
                    {"type":"image","data":"iVBORw0KGgo=","mimeType":"image/png"}]},
                  {"role":"assistant","content":[{"type":"text","text":"Let me look."},
                    {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}}]},
                  {"role":"user","content":[{"type":"tool_result","toolUseId":"call_1",
                    "content":[{"type":"text","text":"18 C, sunny"}]}]}],
                 "tools":[{"name":"get_weather","description":"Current weather",
                   "inputSchema":{"type":"object","properties":{"city":{"type":"string"}}}}],
                 "toolChoice":{"mode":"required"}}
                """);

        ChatCompletionsServer.Received sent = server.requests().get(0);
        JsonNode body = sent.body();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(body.get("model").asText()).isEqualTo("gpt-4.1");
        assertThat(body.get("instructions").asText()).isEqualTo("Be brief.");
        assertThat(body.get("max_output_tokens").asLong()).isEqualTo(200);
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("store").asBoolean()).as("the provider keeps no copy").isFalse();
        assertThat(body.get("input")).isEqualTo(McpJson.parse("""
                [{"type":"message","role":"user","content":[{"type":"input_text","text":"Weather in Paris?"},
                   {"type":"input_image","detail":"auto","image_url":"data:image/png;base64,iVBORw0KGgo="}]},
                 {"type":"message","role":"assistant","content":"Let me look."},
                 {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
                 {"type":"function_call_output","call_id":"call_1","output":"18 C, sunny"}]
                """));
        assertThat(body.get("tools")).isEqualTo(McpJson.parse("""
                [{"type":"function","name":"get_weather","description":"Current weather",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":false}]
                """));
        assertThat(body.get("tool_choice").asText()).isEqualTo("required");
        assertThat(sent.authorization()).isEqualTo("Bearer sk-test");
    }

    @Test
    void givenADocumentedTextResponse_whenMapped_thenTextModelEndTurnAndUsageWithCachedInputAreKept()
            throws Exception {
        server.reply(ChatCompletionsServer.response("gpt-4.1-2025-04-14", "Paris.", "completed"));

        ProviderAnswer answer = call("{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\","
                + "\"text\":\"Capital of France?\"}}],\"maxTokens\":50}");

        assertThat(answer.result().getContent()).containsExactly(TextContent.newBuilder().setText("Paris.").build());
        assertThat(answer.result().getModel()).isEqualTo("gpt-4.1-2025-04-14");
        assertThat(answer.result().getStopReason()).isEqualTo("endTurn");
        assertThat(answer.inputTokens()).isEqualTo(36L);
        assertThat(answer.outputTokens()).isEqualTo(87L);
        assertThat(answer.cachedInputTokens()).isEqualTo(12L);
    }

    @Test
    void givenAFunctionCallOrAnIncompleteResponse_whenMapped_thenToolUseOrMaxTokens() throws Exception {
        server.reply(ChatCompletionsServer.response("gpt-4.1", null, "completed"),
                ChatCompletionsServer.response("gpt-4.1", "It was a dark and", "incomplete"));
        String params = "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"Go\"}}],"
                + "\"maxTokens\":5}";

        ProviderAnswer call = call(params);
        ProviderAnswer cut = call(params);

        assertThat(call.result().getStopReason()).isEqualTo("toolUse");
        ToolUseContent use = (ToolUseContent) call.result().getContent().get(0);
        assertThat(use.getId()).isEqualTo("call_12345xyz");
        assertThat(use.getName()).isEqualTo("get_weather");
        assertThat(McpJson.parse(use.getInput())).isEqualTo(McpJson.parse("{\"location\":\"Paris, France\"}"));
        assertThat(cut.result().getStopReason()).isEqualTo("maxTokens");
    }

    @Test
    void givenStopSequences_whenCalled_thenItFailsAsUnsupportedContentWithoutARequest() {
        ProviderFailure failure = failure("{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\","
                + "\"text\":\"Count\"}}],\"maxTokens\":5,\"stopSequences\":[\"3\"]}");

        assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_CONTENT);
        assertThat(failure.getMessage()).contains("the Responses API has no stop sequences");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void givenARateLimit_whenCalled_thenItIsClassifiedAsForChatCompletions() {
        server.reply(ChatCompletionsServer.rateLimited("7"));

        ProviderFailure failure = failure("{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\","
                + "\"text\":\"Hi\"}}],\"maxTokens\":5}");

        assertThat(failure.code()).isEqualTo(FailureCode.PROVIDER_RATE_LIMITED);
        assertThat(failure.httpStatus()).isEqualTo(429);
        assertThat(failure.retryAfter()).hasSeconds(7);
    }

    private ProviderAnswer call(String paramsJson) throws Exception {
        return provider.call(new ProviderCall("req-1", McpParams.fromJson(paramsJson), "gpt-4.1",
                ProviderSettings.DEFAULT_TIMEOUT, null)).get(10, TimeUnit.SECONDS);
    }

    private ProviderFailure failure(String paramsJson) {
        try {
            call(paramsJson);
        } catch (ExecutionException e) {
            return (ProviderFailure) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the call did not fail");
    }
}
