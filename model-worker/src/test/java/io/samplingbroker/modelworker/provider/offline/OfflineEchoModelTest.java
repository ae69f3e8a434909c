package io.samplingbroker.modelworker.provider.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderCall;
import io.samplingbroker.modelworker.testing.McpParams;

class OfflineEchoModelTest {

    @Test
    void givenAConversation_whenAsked_thenItAnswersAtOnceSayingItIsOfflineWithTheMessageCountAndLastUserText() {
        ProviderAnswer answer = new OfflineEchoModel("offline").call(new ProviderCall("req-1", McpParams.fromJson("""
                {"messages":[
                  {"role":"user","content":{"type":"text","text":"First question"}},
                  {"role":"assistant","content":{"type":"text","text":"First answer"}},
                  {"role":"user","content":[{"type":"text","text":"What is"},{"type":"text","text":"the capital of France?"}]}],
                 "systemPrompt":"Be brief.","maxTokens":100}
                """), "offline-echo", Duration.ofSeconds(1), null)).getNow(null);

        assertThat(answer).isNotNull();
        assertThat(answer.result().getModel()).isEqualTo("offline-echo");
        assertThat(answer.result().getStopReason()).isEqualTo("endTurn");
        assertThat(answer.result().getContent()).containsExactly(TextContent.newBuilder()
                .setText("[offline-echo] received 3 message(s); last user text: What is the capital of France?").build());
        assertThat(answer.inputTokens()).isEqualTo(2L + 2 + 2 + 6);
        assertThat(answer.outputTokens()).isEqualTo(13L);
    }

    @Test
    void givenTheSameParamsTwice_whenAsked_thenTheAnswersAreEqual() {
        var params = McpParams.text("Deterministic, please.", 50);

        assertThat(OfflineEchoModel.answer(params)).isEqualTo(OfflineEchoModel.answer(params));
    }

    @Test
    void givenALongUserText_whenAsked_thenOnlyItsFirst200CharactersAreQuoted() {
        String longText = "x".repeat(199) + "😀" + "y".repeat(50);

        String text = ((TextContent) OfflineEchoModel.answer(McpParams.text(longText, 1000)).result().getContent().get(0))
                .getText();

        assertThat(text).endsWith("last user text: " + "x".repeat(199) + "😀");
    }

    @Test
    void givenToolsWithToolChoiceRequired_whenAsked_thenItCallsTheFirstToolWithEmptyInput() {
        ProviderAnswer answer = OfflineEchoModel.answer(McpParams.fromJson("""
                {"messages":[{"role":"user","content":{"type":"text","text":"Look it up"}}],
                 "tools":[{"name":"search","inputSchema":{"type":"object"}},{"name":"fetch","inputSchema":{"type":"object"}}],
                 "toolChoice":{"mode":"required"},"maxTokens":100}
                """));

        assertThat(answer.result().getStopReason()).isEqualTo("toolUse");
        ToolUseContent toolUse = (ToolUseContent) answer.result().getContent().get(0);
        assertThat(toolUse.getName()).isEqualTo("search");
        assertThat(toolUse.getInput()).isEqualTo("{}");
    }

    @Test
    void givenToolsWithToolChoiceAuto_whenAsked_thenItAnswersWithText() {
        ProviderAnswer answer = OfflineEchoModel.answer(McpParams.fromJson("""
                {"messages":[{"role":"user","content":{"type":"text","text":"Hi"}}],
                 "tools":[{"name":"search","inputSchema":{"type":"object"}}],"toolChoice":{"mode":"auto"},"maxTokens":100}
                """));

        assertThat(answer.result().getContent().get(0)).isInstanceOf(TextContent.class);
    }

    @Test
    void givenMaxTokensBelowTheAnswerLength_whenAsked_thenTheAnswerIsCutToThatManyWordsWithStopReasonMaxTokens() {
        ProviderAnswer answer = OfflineEchoModel.answer(McpParams.text("Hello there", 3));

        assertThat(((TextContent) answer.result().getContent().get(0)).getText()).isEqualTo("[offline-echo] received 1");
        assertThat(answer.result().getStopReason()).isEqualTo("maxTokens");
        assertThat(answer.outputTokens()).isEqualTo(3L);
    }
}
