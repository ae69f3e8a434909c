package io.samplingbroker.schemas.json;

import static io.samplingbroker.schemas.json.JsonAssertions.assertJsonEquals;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.provider.MethodSource;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.schemas.testing.JsonPointers;

/**
 * Coverage-guided: any text a server could send as {@code sampling/createMessage} params, or a host as its result, is
 * either refused with {@link InvalidSamplingJsonException} naming a JSON pointer into that text (the broker answers
 * {@code -32602} with it), or travels JSON -> Avro record -> Avro binary -> Avro record -> JSON and comes back equal.
 * Any other exception, a pointer into nothing, or a changed document is a finding. The seeds are the corpus of real
 * requests and results ({@code src/test/resources/corpus}) and the findings kept under this class's inputs directory.
 */
class SamplingJsonFuzzTest {

    static Stream<byte[]> requests() {
        return corpus("requests");
    }

    static Stream<byte[]> results() {
        return corpus("results");
    }

    @MethodSource("requests")
    @DictionaryEntries({"\"messages\"", "\"role\"", "\"user\"", "\"assistant\"", "\"content\"", "\"type\"",
        "\"text\"", "\"image\"", "\"audio\"", "\"tool_use\"", "\"tool_result\"", "\"toolUseId\"", "\"id\"",
        "\"name\"", "\"input\"", "\"data\"", "\"mimeType\"", "\"maxTokens\"", "\"temperature\"",
        "\"modelPreferences\"", "\"hints\"", "\"costPriority\"", "\"systemPrompt\"", "\"includeContext\"",
        "\"thisServer\"", "\"stopSequences\"", "\"metadata\"", "\"tools\"", "\"inputSchema\"", "\"toolChoice\"",
        "\"mode\"", "\"task\"", "\"ttl\"", "\"_meta\"", "\"isError\"", "\"structuredContent\"", "null", "1e400",
        "0.10000000000000000001", "1e4000000000", "\"QUJD\"", "\\\\ud800", "\\\\udc00"})
    @FuzzTest
    void givenAnyParamsText_whenRead_thenRefusedAtAPointerOrCarriedThroughAvroUnchanged(byte[] input) {
        JsonNode params = parsedOrNull(input);
        if (params == null) {
            return;
        }
        CreateMessageParams record;
        try {
            record = SamplingParamsJson.fromJson(params);
        } catch (InvalidSamplingJsonException refused) {
            JsonPointers.assertPointsInto(params, refused);
            return;
        }
        CreateMessageParams decoded = SamplingJsonCorpusTest.binaryRoundTrip(record, CreateMessageParams.class);
        assertThat(decoded).isEqualTo(record);
        assertJsonEquals(SamplingParamsJson.toJson(decoded), params);
    }

    @MethodSource("results")
    @DictionaryEntries({"\"role\"", "\"assistant\"", "\"content\"", "\"type\"", "\"text\"", "\"image\"",
        "\"audio\"", "\"tool_use\"", "\"tool_result\"", "\"model\"", "\"stopReason\"", "\"endTurn\"", "\"_meta\"",
        "\"id\"", "\"name\"", "\"input\"", "\"data\"", "\"mimeType\"", "null", "1e4000000000", "\\\\ud800",
        "\\\\udc00"})
    @FuzzTest
    void givenAnyResultText_whenRead_thenRefusedAtAPointerOrCarriedThroughAvroUnchanged(byte[] input) {
        JsonNode result = parsedOrNull(input);
        if (result == null) {
            return;
        }
        CreateMessageResult record;
        try {
            record = SamplingResultJson.fromJson(result);
        } catch (InvalidSamplingJsonException refused) {
            JsonPointers.assertPointsInto(result, refused);
            return;
        }
        CreateMessageResult decoded = SamplingJsonCorpusTest.binaryRoundTrip(record, CreateMessageResult.class);
        assertThat(decoded).isEqualTo(record);
        assertJsonEquals(SamplingResultJson.toJson(decoded), result);
    }

    /** The document, or null when the text is no JSON the reader takes: then the refusal is of the whole text. */
    private static JsonNode parsedOrNull(byte[] input) {
        try {
            return McpJson.parse(new String(input, StandardCharsets.UTF_8));
        } catch (InvalidSamplingJsonException notJson) {
            assertThat(notJson.pointer()).isEmpty();
            assertThat(notJson.getMessage()).matches(JsonPointers.WHOLE_TEXT_REFUSED);
            return null;
        }
    }

    private static Stream<byte[]> corpus(String kind) {
        return SamplingJsonCorpusTest.corpusFiles(kind).map(SamplingJsonFuzzTest::bytes);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
