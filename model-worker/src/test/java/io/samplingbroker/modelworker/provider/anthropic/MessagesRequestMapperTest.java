package io.samplingbroker.modelworker.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.modelworker.testing.McpParams;

/**
 * MCP params the Anthropic Messages format cannot carry, refused before any HTTP call (what it carries is in
 * {@link AnthropicProviderTest}, on the wire).
 */
class MessagesRequestMapperTest {

    @Test
    void givenNoMessages_whenMapped_thenTheRequestFailsAsUnsupportedContent() {
        // found by ProviderRequestFuzzTest: MCP allows "messages":[], the SDK's builder threw IllegalStateException
        assertThatThrownBy(() -> MessagesRequestMapper.toRequest(McpParams.fromJson("""
                {"messages":[],"systemPrompt":"Say hello.","maxTokens":50}
                """), "claude-sonnet-4-5"))
                .isInstanceOfSatisfying(ProviderFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_CONTENT))
                .hasMessageContaining("no messages");
    }
}
