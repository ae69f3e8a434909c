package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;

class PromptsTest {

    @Test
    void givenAPool_whenBuilt_thenSizesSpanAFewHundredBytesTo20KB() {
        Prompts prompts = new Prompts(256, 42);

        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < prompts.count(); i++) {
            min = Math.min(min, prompts.textBytes(i));
            max = Math.max(max, prompts.textBytes(i));
        }
        assertThat(min).isBetween(Prompts.MIN_BYTES, 1_000);
        assertThat(max).isBetween(10_000, Prompts.MAX_BYTES);
    }

    @Test
    void givenARequest_whenRead_thenItIsValidSamplingWithOneUserTextMessageAndMaxTokens100() {
        Prompts prompts = new Prompts(8, 1);

        var request = McpJson.parse(prompts.request(12345));
        var params = SamplingParamsJson.fromJson(request.get("params"));

        assertThat(request.get("id").asLong()).isEqualTo(12345);
        assertThat(request.get("method").asText()).isEqualTo("sampling/createMessage");
        assertThat(params.getMaxTokens()).isEqualTo(100);
        assertThat(params.getMessages()).hasSize(1);
        assertThat(request.at("/params/messages/0/content/text").asText()).hasSize(prompts.textBytes(12345));
    }

    @Test
    void givenASize_whenTextIsMade_thenItHasExactlyThatLength() {
        assertThat(Prompts.text(777, 5)).hasSize(777).doesNotContain("\"", "\\");
    }
}
