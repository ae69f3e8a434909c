package io.samplingbroker.modelworker.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.modelworker.provider.CallTarget;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderCall;
import io.samplingbroker.modelworker.provider.ProviderCallRunner;
import io.samplingbroker.modelworker.provider.RetryPolicy;
import io.samplingbroker.modelworker.testing.McpParams;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.testsupport.AnthropicMessagesServer;

/**
 * The Anthropic provider, with the worker's retry loop, against a local server speaking the Messages API: what goes
 * on the wire for every content type and tool shape, what comes back (text, tool calls, stop reasons, usage), and
 * the API's errors under the one retry policy.
 */
class AnthropicProviderTest {

    private static final String KEY = "sk-ant-test-0123456789abcdef";
    private static final String TRACE_PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6"
            + "kgAAAABJRU5ErkJggg==";

    private final AnthropicMessagesServer server = AnthropicMessagesServer.start();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ProviderCallRunner runner = new ProviderCallRunner(scheduler, Clock.systemUTC(),
            new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5));
    private AnthropicProvider provider;

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.close();
        }
        server.close();
        scheduler.shutdownNow();
    }

    @Test
    void givenAConversationWithEveryContentTypeAndTools_whenCalled_thenTheMessagesRequestCarriesEachOneToOne()
            throws Exception {
        provider = provider(KEY, 0);
        server.reply(AnthropicMessagesServer.text("claude-sonnet-4-5-20250929", "Sunny.", "end_turn"));

        CallOutcome outcome = run(McpParams.fromJson("""
                {"systemPrompt":"Be brief.","maxTokens":300,"temperature":0.2,"stopSequences":["END"],
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"Weather in Paris? See the map."},
                                            {"type":"image","data":"%s","mimeType":"image/png"}]},
                  {"role":"assistant","content":[{"type":"text","text":"Checking."},
                    {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"toolu_02","name":"get_weather","input":{"city":"Atlantis"}}]},
                  {"role":"user","content":[{"type":"tool_result","toolUseId":"toolu_01",
                    "content":[{"type":"text","text":"18C, sunny"}]},
                    {"type":"tool_result","toolUseId":"toolu_02","content":[],"structuredContent":{"ok":false},
                     "isError":true}]}],
                 "tools":[{"name":"get_weather","description":"Current weather",
                   "inputSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],
                     "additionalProperties":false}}],
                 "toolChoice":{"mode":"required"}}
                """.formatted(PNG)));

        assertThat(outcome).isInstanceOf(CallOutcome.Answered.class);
        AnthropicMessagesServer.Received request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/messages");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.header("anthropic-version")).isNotBlank();
        assertThat(request.header("traceparent")).isEqualTo(TRACE_PARENT);
        JsonNode body = request.body();
        assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("system").asText()).isEqualTo("Be brief.");
        assertThat(body.get("stop_sequences")).hasToString("[\"END\"]");
        assertThat(body.get("messages")).isEqualTo(McpJson.parse("""
                [{"role":"user","content":[{"type":"text","text":"Weather in Paris? See the map."},
                   {"type":"image","source":{"type":"base64","data":"%s","media_type":"image/png"}}]},
                 {"role":"assistant","content":[{"type":"text","text":"Checking."},
                   {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}},
                   {"type":"tool_use","id":"toolu_02","name":"get_weather","input":{"city":"Atlantis"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01",
                    "content":[{"type":"text","text":"18C, sunny"}]},
                   {"type":"tool_result","tool_use_id":"toolu_02","content":[{"type":"text","text":"{\\"ok\\":false}"}],
                    "is_error":true}]}]
                """.formatted(PNG)));
        assertThat(body.get("tools")).isEqualTo(McpJson.parse("""
                [{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},
                  "required":["city"],"additionalProperties":false},"description":"Current weather"}]
                """));
        assertThat(body.get("tool_choice").get("type").asText()).isEqualTo("any");
    }

    @Test
    void givenAnAnswerFromThePromptCache_whenCalled_thenInputCountsCacheReadsAndWritesAndCachedCountsTheReads()
            throws Exception {
        provider = provider(KEY, 0);
        server.reply(AnthropicMessagesServer.cachedText("claude-sonnet-4-5-20250929", "Cached.", 25, 1_000, 200));

        CallOutcome.Answered answered = (CallOutcome.Answered) run(McpParams.text("Again?", 64));

        assertThat(answered.answer().inputTokens()).isEqualTo(1_225L);
        assertThat(answered.answer().cachedInputTokens()).isEqualTo(1_000L);
        assertThat(answered.answer().outputTokens()).isEqualTo(13L);
    }

    @Test
    void givenAToolCallAnswer_whenCalled_thenItIsAnMcpToolUseWithStopReasonToolUseAndTheUsage() throws Exception {
        provider = provider(KEY, 0);
        server.reply(AnthropicMessagesServer.toolUse("claude-sonnet-4-5-20250929", "toolu_9", "get_weather",
                "{\"city\":\"Lyon\",\"units\":{\"temp\":\"C\"}}"));

        CallOutcome.Answered answered = (CallOutcome.Answered) run(McpParams.text("Weather in Lyon?", 64));

        assertThat(answered.answer().result().getModel()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(answered.answer().result().getStopReason()).isEqualTo("toolUse");
        List<Object> content = answered.answer().result().getContent();
        assertThat(content).hasSize(2);
        assertThat(((TextContent) content.get(0)).getText()).isEqualTo("I'll look that up.");
        ToolUseContent call = (ToolUseContent) content.get(1);
        assertThat(call.getId()).isEqualTo("toolu_9");
        assertThat(call.getName()).isEqualTo("get_weather");
        assertThat(McpJson.parse(call.getInput()))
                .isEqualTo(McpJson.parse("{\"city\":\"Lyon\",\"units\":{\"temp\":\"C\"}}"));
        assertThat(answered.answer().inputTokens()).isEqualTo(25L);
        assertThat(answered.answer().outputTokens()).isEqualTo(13L);
    }

    @Test
    void givenEachStopReason_whenMapped_thenMcpsNamesOrTheProvidersString() {
        assertThat(List.of("end_turn", "max_tokens", "stop_sequence", "tool_use", "refusal", "pause_turn").stream()
                .map(MessagesResponseMapper::stopReason)).containsExactly("endTurn", "maxTokens", "stopSequence",
                        "toolUse", "refusal", "pause_turn");
    }

    @Test
    void givenOverloadedThenAnAnswer_whenCalled_thenTheWorkerRetriesOnceAndTheSdkNever() throws Exception {
        provider = provider(KEY, 2);
        server.reply(AnthropicMessagesServer.overloaded());

        CallOutcome.Answered answered = (CallOutcome.Answered) run(McpParams.text("Hi", 16));

        assertThat(answered.attempts()).isEqualTo(2);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void givenA529Always_whenTheRetriesRunOut_thenProviderUnavailableNamingStatusAndTypeButNotTheMessage()
            throws Exception {
        provider = provider(KEY, 1);
        server.replyByDefault(AnthropicMessagesServer.overloaded());

        CallOutcome.Failed failed = (CallOutcome.Failed) run(McpParams.text("Hi", 16));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_UNAVAILABLE);
        assertThat(failed.providerStatus()).isEqualTo(529);
        assertThat(failed.message()).contains("529 overloaded_error").doesNotContain("Overloaded");
        assertThat(failed.attempts()).isEqualTo(2);
    }

    @Test
    void givenARateLimitWithRetryAfter_whenItExceedsTheDeadline_thenRateLimitedWithoutWaiting() throws Exception {
        provider = provider(KEY, 3);
        server.replyByDefault(AnthropicMessagesServer.rateLimited("30"));

        CallOutcome.Failed failed = (CallOutcome.Failed) run(McpParams.text("Hi", 16));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_RATE_LIMITED);
        assertThat(failed.message()).contains("429 rate_limit_error").doesNotContain("50 input tokens");
        assertThat(server.requests()).as("a 30 s wait does not fit a 10 s deadline").hasSize(1);
    }

    @Test
    void givenABadKey_whenCalled_thenUnauthorizedAtOnceAndTheKeyIsNotInTheMessage() throws Exception {
        provider = provider(KEY, 3);
        server.replyByDefault(AnthropicMessagesServer.unauthorized());

        CallOutcome.Failed failed = (CallOutcome.Failed) run(McpParams.text("Hi", 16));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_UNAUTHORIZED);
        assertThat(failed.message()).contains("401 authentication_error").doesNotContain(KEY);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void givenNoKey_whenCalled_thenOnlyThePlaceholderCredentialIsSent() throws Exception {
        provider = provider(null, 0);

        assertThat(run(McpParams.text("Hi", 16))).isInstanceOf(CallOutcome.Answered.class);
        assertThat(server.requests().get(0).header("x-api-key")).isNull();
        assertThat(server.requests().get(0).header("Authorization")).as("the SDK insists on one: a placeholder")
                .isEqualTo("Bearer no-key");
    }

    @Test
    void givenAudioOrAnUnsupportedImage_whenCalled_thenUnsupportedContentWithoutAnyHttpCall() throws Exception {
        provider = provider(KEY, 3);

        CallOutcome.Failed audio = (CallOutcome.Failed) run(McpParams.fromJson("""
                {"maxTokens":16,"messages":[{"role":"user","content":{"type":"audio","data":"UklGRg==",
                 "mimeType":"audio/wav"}}]}
                """));
        CallOutcome.Failed bmp = (CallOutcome.Failed) run(McpParams.fromJson("""
                {"maxTokens":16,"messages":[{"role":"user","content":{"type":"image","data":"Qk0=",
                 "mimeType":"image/bmp"}}]}
                """));

        assertThat(audio.code()).isEqualTo(FailureCode.UNSUPPORTED_CONTENT);
        assertThat(audio.message()).contains("audio cannot be sent in the Anthropic Messages format");
        assertThat(bmp.code()).isEqualTo(FailureCode.UNSUPPORTED_CONTENT);
        assertThat(bmp.message()).contains("image/bmp images cannot be sent");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void givenTheEndpointDown_whenCalled_thenProviderUnavailable() throws Exception {
        provider = provider(KEY, 0);
        server.close();

        CallOutcome.Failed failed = (CallOutcome.Failed) run(McpParams.text("Hi", 16));

        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_UNAVAILABLE);
        assertThat(failed.providerStatus()).isNull();
    }

    private AnthropicProvider provider(String key, int maxRetries) {
        return new AnthropicProvider(ProviderSettings.anthropic("claude", server.baseUrl(), key)
                .withTimeout(Duration.ofSeconds(5)).withMaxRetries(maxRetries), Clock.systemUTC());
    }

    private CallOutcome run(CreateMessageParams params) throws Exception {
        ProviderCall call = new ProviderCall("req-1", params, "claude-sonnet-4-5", provider.settings().timeout(),
                TRACE_PARENT);
        return runner.start(List.of(new CallTarget("claude", provider, call, provider.settings().maxRetries())),
                Instant.now().plus(Duration.ofSeconds(10))).outcome().get(30, TimeUnit.SECONDS);
    }
}
