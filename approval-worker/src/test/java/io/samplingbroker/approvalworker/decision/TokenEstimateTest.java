package io.samplingbroker.approvalworker.decision;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.mcp.CreateMessageParams;

/** The reservation a token budget makes before a model has seen the request: it errs high. */
class TokenEstimateTest {

    @Test
    void givenText_whenEstimated_thenOneTokenPerThreeUtf8BytesRoundedUpPlusMaxTokens() {
        CreateMessageParams english = request("a").text("What is the capital of France?").maxTokens(500).build()
                .getParams(); // 30 bytes
        CreateMessageParams japanese = request("b").text("フランスの首都は").build().getParams(); // 8 chars, 24 bytes

        assertThat(TokenEstimate.input(english)).isEqualTo(10);
        assertThat(TokenEstimate.reservation(english)).isEqualTo(510);
        assertThat(TokenEstimate.input(japanese)).as("about a token a character").isEqualTo(8);
    }

    @Test
    void givenASystemPromptToolsAToolResultAndAnImage_whenEstimated_thenEachCountsAndTheImageAtItsFlatRate() {
        CreateMessageParams plain = request("a").text("hi").build().getParams();
        CreateMessageParams everything = request("b").text("hi").systemPrompt("Be brief.").toolResultText("sunny")
                .image().withTools().build().getParams();

        long tools = TokenEstimate.input(everything) - TokenEstimate.input(plain) - TokenEstimate.MEDIA_TOKENS;
        assertThat(tools).as("system prompt, tool result text and the tool's definition").isGreaterThan(
                ("Be brief.sunny".length() + "get_weather".length()) / 3);
        assertThat(TokenEstimate.input(request("c").text("hi").image().image().build().getParams()))
                .isEqualTo(1 + 2 * TokenEstimate.MEDIA_TOKENS);
    }

    @Test
    void givenTheLargestMaxTokensTheBrokerAccepts_whenReserved_thenTheReservationIsLongMaxValueNotANegativeNumber() {
        // PolicyFuzzTest's finding: maxTokens plus the prompt's estimate wrapped around
        CreateMessageParams greedy = request("a").text("hi").maxTokens(Long.MAX_VALUE).build().getParams();

        assertThat(TokenEstimate.reservation(greedy)).isEqualTo(Long.MAX_VALUE);
    }
}
