package io.samplingbroker.schemas.json;

import static io.samplingbroker.schemas.json.JsonAssertions.assertJsonEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;

/**
 * Every request and result of the corpus (one per content type, tools and tool results, _meta, task, and members
 * from a later MCP revision) survives JSON -> Avro record -> Avro binary -> Avro record -> JSON unchanged.
 */
class SamplingJsonCorpusTest {

    static Stream<Path> requests() {
        return corpusFiles("requests");
    }

    static Stream<Path> results() {
        return corpusFiles("results");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void givenARequestFromTheCorpus_whenItTravelsAsAvro_thenTheJsonComesBackEqual(Path file) {
        // Given
        JsonNode original = read(file);
        // When
        CreateMessageParams decoded = binaryRoundTrip(SamplingParamsJson.fromJson(original), CreateMessageParams.class);
        // Then
        assertJsonEquals(SamplingParamsJson.toJson(decoded), original);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("results")
    void givenAResultFromTheCorpus_whenItTravelsAsAvro_thenTheJsonComesBackEqual(Path file) {
        // Given
        JsonNode original = read(file);
        // When
        CreateMessageResult decoded = binaryRoundTrip(SamplingResultJson.fromJson(original), CreateMessageResult.class);
        // Then
        assertJsonEquals(SamplingResultJson.toJson(decoded), original);
    }

    static <T extends SpecificRecord> T binaryRoundTrip(T record, Class<T> type) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<T>(type).write(record, encoder);
            encoder.flush();
            return new SpecificDatumReader<T>(type).read(null,
                    DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return McpJson.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Path> corpusFiles(String kind) {
        try {
            Path dir = Path.of(SamplingJsonCorpusTest.class.getResource("/corpus/" + kind).toURI());
            return Files.list(dir).filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
