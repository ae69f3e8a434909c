package io.samplingbroker.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.ImageContent;

/**
 * The {@code data} of image and audio blocks is MCP {@code format: byte}: padded standard base64 (RFC 4648 section
 * 4), in requests (also inside a tool_result) and in results.
 */
class Base64DataTest {

    @Test
    void givenAudioWithPaddedBase64_whenRead_thenItIsAccepted() {
        // Given
        JsonNode json = json("{'messages':[{'role':'user','content':{'type':'audio',"
                + "'data':'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=','mimeType':'audio/wav'}}],"
                + "'maxTokens':10}");
        // When
        CreateMessageParams params = SamplingParamsJson.fromJson(json);
        // Then
        assertThat(params.getMessages().get(0).getContent()).singleElement()
                .isInstanceOfSatisfying(AudioContent.class, audio -> assertThat(audio.getData())
                        .isEqualTo("UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA="));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "QQ==", "QUI=", "QUJD", "+/+/", "iVBORw0KGgo=", "AB/+9w=="})
    void givenAnImageWithStandardPaddedBase64_whenRead_thenItIsAccepted(String data) {
        // When
        CreateMessageParams params = SamplingParamsJson.fromJson(imageRequest(data));
        // Then
        assertThat(((ImageContent) params.getMessages().get(0).getContent().get(1)).getData()).isEqualTo(data);
    }

    @Test
    void givenWhatJavaEncodes_whenChecked_thenEveryLengthIsAccepted() {
        Random random = new Random(42);
        for (int size = 0; size < 64; size++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            assertThat(Base64Text.problem(Base64.getEncoder().encodeToString(bytes))).as("%d bytes", size).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "too short, unpadded           | abc      | length 3 is not a multiple of 4 (padding with '=' is required)",
        "unpadded two bytes            | QUI      | length 3 is not a multiple of 4 (padding with '=' is required)",
        "one character                 | Q        | length 1 is not a multiple of 4 (padding with '=' is required)",
        "url-safe minus                | ab-d     | character '-' (U+002D) at index 2 is not in the standard alphabet (A-Z a-z 0-9 + /)",
        "url-safe underscore           | ab_d     | character '_' (U+005F) at index 2 is not in the standard alphabet (A-Z a-z 0-9 + /)",
        "garbage                       | not*b64! | character '*' (U+002A) at index 3 is not in the standard alphabet (A-Z a-z 0-9 + /)",
        "space                         | QU JD    | character U+0020 at index 2 is not in the standard alphabet (A-Z a-z 0-9 + /)",
        "padding in the middle         | QQ==QUJD | padding '=' at index 2 is followed by data at index 4",
        "three padding characters      | Q===     | 3 padding characters, at most 2 are allowed",
        "only padding                  | ====     | 4 padding characters, at most 2 are allowed",
        "padding not completing a quad | QUJDQ=   | length 6 is not a multiple of 4 (padding with '=' is required)",
        "bad character after padding   | QQ=.     | character '.' (U+002E) at index 3 is not in the standard alphabet (A-Z a-z 0-9 + /)"
    })
    void givenAnImageWithBadBase64_whenRead_thenTheErrorNamesTheDataPointer(String caseName, String data,
            String problem) {
        assertThatThrownBy(() -> SamplingParamsJson.fromJson(imageRequest(data)))
                .isInstanceOfSatisfying(InvalidSamplingJsonException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/messages/0/content/1/data"))
                .hasMessage("/messages/0/content/1/data: is not valid base64: " + problem);
    }

    static Stream<Arguments> controlCharacters() {
        return Stream.of(
                Arguments.of("line break of MIME base64", "QUJD\nQUJD", "character U+000A at index 4"),
                Arguments.of("carriage return", "QUJD\r\nQUJD", "character U+000D at index 4"),
                Arguments.of("tab", "\tQUJD", "character U+0009 at index 0"),
                Arguments.of("non-ASCII letter", "QUJ\u00e9", "character U+00E9 at index 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controlCharacters")
    void givenAnImageWithInvisibleOrNonAsciiCharacters_whenRead_thenTheErrorGivesTheCodePoint(String caseName,
            String data, String where) {
        JsonNode json = McpJson.object().put("maxTokens", 5).set("messages", McpJson.parse(
                "[{\"role\":\"user\",\"content\":{\"type\":\"image\",\"mimeType\":\"image/png\"}}]"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("messages").get(0).get("content")).put("data", data);

        assertThatThrownBy(() -> SamplingParamsJson.fromJson(json))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessage("/messages/0/content/data: is not valid base64: " + where
                        + " is not in the standard alphabet (A-Z a-z 0-9 + /)");
    }

    @Test
    void givenAudioWithBadBase64_whenRead_thenTheErrorNamesTheDataPointer() {
        JsonNode json = json("{'messages':[{'role':'user','content':{'type':'audio','data':'UklGR','mimeType':"
                + "'audio/wav'}}],'maxTokens':10}");

        assertThatThrownBy(() -> SamplingParamsJson.fromJson(json))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessage("/messages/0/content/data: is not valid base64: length 5 is not a multiple of 4"
                        + " (padding with '=' is required)");
    }

    @Test
    void givenAnImageWithBadBase64InsideAToolResult_whenRead_thenTheErrorNamesTheNestedDataPointer() {
        JsonNode json = json("{'messages':["
                + "{'role':'user','content':{'type':'text','text':'Chart?'}},"
                + "{'role':'assistant','content':[{'type':'tool_use','id':'c1','name':'chart','input':{}}]},"
                + "{'role':'user','content':[{'type':'tool_result','toolUseId':'c1','content':["
                + "{'type':'text','text':'here'},{'type':'image','data':'abc','mimeType':'image/png'}]}]}"
                + "],'maxTokens':10}");

        assertThatThrownBy(() -> SamplingParamsJson.fromJson(json))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessage("/messages/2/content/0/content/1/data: is not valid base64: length 3 is not a multiple"
                        + " of 4 (padding with '=' is required)");
    }

    @Test
    void givenAResultImageWithBadBase64_whenRead_thenTheErrorNamesTheDataPointer() {
        JsonNode json = json("{'role':'assistant','content':{'type':'image','data':'iVBORw0KGgo','mimeType':"
                + "'image/png'},'model':'m'}");

        assertThatThrownBy(() -> SamplingResultJson.fromJson(json))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessage("/content/data: is not valid base64: length 11 is not a multiple of 4"
                        + " (padding with '=' is required)");
    }

    @Test
    void givenAResultAudioWithUrlSafeBase64_whenRead_thenTheErrorNamesTheDataPointer() {
        JsonNode json = json("{'role':'assistant','content':[{'type':'text','text':'Listen:'},"
                + "{'type':'audio','data':'Ukl_Rg==','mimeType':'audio/wav'}],'model':'m'}");

        assertThatThrownBy(() -> SamplingResultJson.fromJson(json))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessage("/content/1/data: is not valid base64: character '_' (U+005F) at index 3 is not in the"
                        + " standard alphabet (A-Z a-z 0-9 + /)");
    }

    @Test
    void givenAResultAudioWithPaddedBase64_whenRead_thenItIsAccepted() {
        // When
        CreateMessageResult result = SamplingResultJson.fromJson(json("{'role':'assistant','content':"
                + "{'type':'audio','data':'UklGRg==','mimeType':'audio/wav'},'model':'m'}"));
        // Then
        assertThat(((AudioContent) result.getContent().get(0)).getData()).isEqualTo("UklGRg==");
    }

    private static JsonNode imageRequest(String data) {
        return json("{'messages':[{'role':'user','content':[{'type':'text','text':'Describe.'},"
                + "{'type':'image','data':'" + data + "','mimeType':'image/png'}]}],'maxTokens':10}");
    }

    private static JsonNode json(String singleQuoted) {
        return McpJson.parse(singleQuoted.replace('\'', '"'));
    }
}
