package io.samplingbroker.schemas.json;

import java.util.Map;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the contract, and the small helpers the MCP mappings share. */
public final class McpJson {

    /**
     * Keeps numbers exact (BigDecimal, trailing zeros too: Jackson would write {@code 0.0} back as {@code 0}) so that
     * re-serialising open JSON changes no digit, and writes surrogates as escapes so that open JSON carried as an Avro
     * string (UTF-8) keeps an unpaired one too.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
                    .characterEscapes(new SurrogateEscapes()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private McpJson() {
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidSamplingJsonException("", "not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // Jackson reads a number's digits only when it builds the node: an exponent past an int's range fails there
            // (RFC 8259 lets a reader limit the range of numbers; a BigDecimal's exponent is an int).
            throw new InvalidSamplingJsonException("", "a number out of range: its exponent must fit 32 bits");
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    /** The index of the first surrogate in {@code text} that is not half of a pair, or -1 when there is none. */
    public static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Puts the text of an open JSON member back as a tree; null text means the member was absent. */
    static void putJson(ObjectNode target, String name, String jsonText) {
        if (jsonText != null) {
            target.set(name, parse(jsonText));
        }
    }

    static void putIfPresent(ObjectNode target, String name, String value) {
        if (value != null) {
            target.put(name, value);
        }
    }

    /** Restores the members the Avro form did not model. */
    static void mergeExtra(ObjectNode target, String extraJson) {
        if (extraJson == null) {
            return;
        }
        JsonNode extra = parse(extraJson);
        for (Map.Entry<String, JsonNode> member : extra.properties()) {
            target.set(member.getKey(), member.getValue());
        }
    }
}
