package io.samplingbroker.modelworker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingResultJson;

/** What every answer the worker publishes must be: a {@code sampling/createMessage} result MCP can carry. */
public final class McpResults {

    private McpResults() {
    }

    /**
     * The result is the assistant's, has content in the shape its size says, and travels as the worker and the broker
     * send it unchanged: through Avro binary (the event) and as the JSON text of the broker's JSON-RPC answer to the
     * server, read back by the contract's own reader.
     */
    public static void assertCarriedUnchanged(CreateMessageResult result) {
        assertThat(result.getRole()).isEqualTo(Role.assistant);
        assertThat(result.getContent()).isNotEmpty();
        assertThat(result.getContentShape())
                .isEqualTo(result.getContent().size() == 1 ? ContentShape.SINGLE : ContentShape.ARRAY);
        assertThat(avroRoundTrip(result)).isEqualTo(result);
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0").put("id", 1);
        answer.set("result", SamplingResultJson.toJson(result));
        String json = McpJson.write(answer);
        assertThat(SamplingResultJson.fromJson(McpJson.parse(json).get("result"))).isEqualTo(result);
    }

    private static CreateMessageResult avroRoundTrip(CreateMessageResult result) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<>(CreateMessageResult.class).write(result, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(CreateMessageResult.class).read(null,
                    DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
