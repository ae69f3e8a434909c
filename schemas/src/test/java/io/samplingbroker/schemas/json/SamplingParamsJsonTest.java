package io.samplingbroker.schemas.json;

import static io.samplingbroker.schemas.json.JsonAssertions.assertJsonEquals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;

class SamplingParamsJsonTest {

    @Test
    void givenParamsWithToolsAndImages_whenRead_thenPolicyRelevantFieldsAreTyped() {
        CreateMessageParams params = SamplingParamsJson.fromJson(SamplingJsonCorpusTest.read(
                java.nio.file.Path.of("src/test/resources/corpus/requests/05-tools-tool-use-tool-result.json")));

        assertThat(params.getMaxTokens()).isEqualTo(1024);
        assertThat(params.getTools()).extracting(t -> t.getName()).containsExactly("get_weather", "noop");
        assertThat(params.getMessages().get(1).getContent()).allMatch(ToolUseContent.class::isInstance);
        ToolResultContent failed = (ToolResultContent) params.getMessages().get(2).getContent().get(1);
        assertThat(failed.getIsError()).isTrue();
        assertThat(failed.getContent()).hasAtLeastOneElementOfType(ImageContent.class);
    }

    @Test
    void givenIncludeContext_whenRead_thenItIsAnEnum() {
        CreateMessageParams params = SamplingParamsJson.fromJson(McpJson.parse(
                "{\"messages\":[],\"maxTokens\":1,\"includeContext\":\"allServers\"}"));

        assertThat(params.getIncludeContext()).isEqualTo(IncludeContext.allServers);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing maxTokens      | {\"messages\":[]}                                                         | /maxTokens: is required",
        "fractional maxTokens   | {\"messages\":[],\"maxTokens\":1.5}                                       | /maxTokens: expected an integer, got a number",
        "zero maxTokens         | {\"messages\":[],\"maxTokens\":0}                                         | /maxTokens: must be positive, got 0",
        "messages not an array  | {\"messages\":{},\"maxTokens\":5}                                         | /messages: expected an array of messages",
        "unknown role           | {\"messages\":[{\"role\":\"system\",\"content\":{\"type\":\"text\",\"text\":\"x\"}}],\"maxTokens\":5} | /messages/0/role: must be 'user' or 'assistant', not 'system'",
        "text without text      | {\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\"}}],\"maxTokens\":5} | /messages/0/content/text: is required",
        "block without type     | {\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}],\"maxTokens\":5} | /messages/0/content/0/type: a content block needs a string type",
        "tool_result without id | {\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"tool_result\",\"content\":[]}}],\"maxTokens\":5} | /messages/0/content/toolUseId: is required",
        "tool_use input array   | {\"messages\":[{\"role\":\"assistant\",\"content\":{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"b\",\"input\":[]}}],\"maxTokens\":5} | /messages/0/content/input: expected a JSON object, got an array",
        "priority above one     | {\"messages\":[],\"maxTokens\":5,\"modelPreferences\":{\"costPriority\":2}} | /modelPreferences/costPriority: must be between 0 and 1, got 2.0",
        "bad includeContext     | {\"messages\":[],\"maxTokens\":5,\"includeContext\":\"everything\"}       | /includeContext: must be 'none', 'thisServer' or 'allServers', not 'everything'",
        "bad toolChoice mode    | {\"messages\":[],\"maxTokens\":5,\"toolChoice\":{\"mode\":\"always\"}}      | /toolChoice/mode: must be 'auto', 'required' or 'none', not 'always'",
        "tool without schema    | {\"messages\":[],\"maxTokens\":5,\"tools\":[{\"name\":\"t\"}]}             | /tools/0/inputSchema: is required",
        "params not an object   | []                                                                         | /: expected a JSON object, got an array",
        "temperature overflows  | {\"messages\":[],\"maxTokens\":5,\"temperature\":1e4000}                    | /temperature: the number 1E+4000 does not fit a double exactly (at most 17 significant digits, magnitude below 1.8e308)",
        "exponent past an int   | {\"messages\":[],\"maxTokens\":1e4000000000}                            | /: a number out of range: its exponent must fit 32 bits",
        "unpaired surrogate     | {\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"a\\ud800b\"}}],\"maxTokens\":5} | /messages/0/content/text: not Unicode text: an unpaired surrogate (\\ud800) at character 1",
        "surrogate in a type    | {\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tex\\udc00t\"}]}],\"maxTokens\":5} | /messages/0/content/0/type: not Unicode text: an unpaired surrogate (\\udc00) at character 3",
        "priority too precise   | {\"messages\":[],\"maxTokens\":5,\"modelPreferences\":{\"costPriority\":0.10000000000000000001}} | /modelPreferences/costPriority: the number 0.10000000000000000001 does not fit a double exactly (at most 17 significant digits, magnitude below 1.8e308)"
    })
    void givenParamsBreakingTheMcpSchema_whenRead_thenTheErrorNamesThePointerAndTheProblem(String caseName, String json,
            String expectedMessage) {
        assertThatThrownBy(() -> SamplingParamsJson.fromJson(McpJson.parse(json)))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessage(expectedMessage);
    }

    @Test
    void givenOpenJsonWithAnUnpairedSurrogate_whenCarriedThroughAvro_thenItComesBackUnchanged() {
        // SamplingJsonFuzzTest's finding, through the review console: open members travel as Avro strings (UTF-8),
        // which turned an unpaired surrogate into '?'; they are written with surrogates escaped
        String json = "{\"messages\":[],\"maxTokens\":5,\"_meta\":{\"k\\udc00\":\"\\ud800 and \\ud83d\\udd11\"}}";
        CreateMessageParams record = SamplingParamsJson.fromJson(McpJson.parse(json));

        CreateMessageParams decoded = SamplingJsonCorpusTest.binaryRoundTrip(record, CreateMessageParams.class);

        assertThat(decoded).isEqualTo(record);
        assertJsonEquals(SamplingParamsJson.toJson(decoded), McpJson.parse(json));
    }

    @Test
    void givenNumbersWithTrailingZeros_whenReadAndWrittenAgain_thenEveryDigitStays() {
        // DelegationBodyFuzzTest's finding: Jackson stripped trailing zeros from exact numbers, so "0.0" came back "0"
        String json = "{\"a\":0.0,\"b\":1.50,\"d\":10,\"e\":0.10000000000000000001}";

        String written = McpJson.write(McpJson.parse(json));

        assertThat(written).isEqualTo("{\"a\":0.0,\"b\":1.50,\"d\":10,\"e\":0.10000000000000000001}");
        assertThat(McpJson.parse(written)).isEqualTo(McpJson.parse(json));
    }

    @Test
    void givenTextThatIsNotJson_whenParsed_thenTheErrorSaysSo() {
        assertThatThrownBy(() -> McpJson.parse("{\"messages\": ["))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessageStartingWith("/: not valid JSON");
    }
}
