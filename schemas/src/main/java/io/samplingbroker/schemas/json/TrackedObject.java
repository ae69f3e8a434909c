package io.samplingbroker.schemas.json;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the members of one JSON object by name and remembers which were read, so that every member the Avro form
 * does not model can be kept as {@code extra} JSON and nothing is lost. A known member set to JSON {@code null} is
 * deliberately not consumed: it travels in {@code extra} and comes back as an explicit null.
 */
final class TrackedObject {

    private final ObjectNode node;
    private final String pointer;
    private final Set<String> consumed = new HashSet<>();

    private TrackedObject(ObjectNode node, String pointer) {
        this.node = node;
        this.pointer = pointer;
    }

    static TrackedObject of(JsonNode node, String pointer) {
        if (node == null || !node.isObject()) {
            throw new InvalidSamplingJsonException(pointer, "expected a JSON object, got " + describe(node));
        }
        return new TrackedObject((ObjectNode) node, pointer);
    }

    String pointer() {
        return pointer;
    }

    String childPointer(String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    /** The member, or null when absent or JSON null (then left for {@code extra}). */
    JsonNode optional(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        consumed.add(name);
        return value;
    }

    JsonNode required(String name) {
        JsonNode value = optional(name);
        if (value == null) {
            throw new InvalidSamplingJsonException(childPointer(name), "is required");
        }
        return value;
    }

    String requiredString(String name) {
        return asString(required(name), childPointer(name));
    }

    String optionalString(String name) {
        JsonNode value = optional(name);
        return value == null ? null : asString(value, childPointer(name));
    }

    Double optionalDouble(String name) {
        JsonNode value = optional(name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidSamplingJsonException(childPointer(name), "expected a number, got " + describe(value));
        }
        double number = value.doubleValue();
        // Typed as a double, so a number a double cannot hold would come back changed: refused, not rounded.
        if (!Double.isFinite(number) || BigDecimal.valueOf(number).compareTo(value.decimalValue()) != 0) {
            String text = value.asText();
            throw new InvalidSamplingJsonException(childPointer(name), "the number "
                    + (text.length() <= 40 ? text : text.substring(0, 40) + "...")
                    + " does not fit a double exactly (at most 17 significant digits, magnitude below 1.8e308)");
        }
        return number;
    }

    Long optionalLong(String name) {
        JsonNode value = optional(name);
        return value == null ? null : asLong(value, childPointer(name));
    }

    long requiredLong(String name) {
        return asLong(required(name), childPointer(name));
    }

    Boolean optionalBoolean(String name) {
        JsonNode value = optional(name);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidSamplingJsonException(childPointer(name), "expected a boolean, got " + describe(value));
        }
        return value.booleanValue();
    }

    /** Any JSON value, carried as JSON text. */
    String optionalJsonText(String name) {
        JsonNode value = optional(name);
        return value == null ? null : McpJson.write(value);
    }

    /** A JSON object carried as text; other kinds of value are an error. */
    String requiredObjectText(String name) {
        JsonNode value = required(name);
        if (!value.isObject()) {
            throw new InvalidSamplingJsonException(childPointer(name), "expected a JSON object, got " + describe(value));
        }
        return McpJson.write(value);
    }

    /** The members not read so far, as a JSON object text, or null when there are none. */
    String extra() {
        ObjectNode rest = null;
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!consumed.contains(member.getKey())) {
                if (rest == null) {
                    rest = JsonNodeFactory.instance.objectNode();
                }
                rest.set(member.getKey(), member.getValue());
            }
        }
        return rest == null ? null : McpJson.write(rest);
    }

    static String asString(JsonNode value, String pointer) {
        if (!value.isTextual()) {
            throw new InvalidSamplingJsonException(pointer, "expected a string, got " + describe(value));
        }
        String text = value.textValue();
        int unpaired = McpJson.unpairedSurrogate(text);
        if (unpaired >= 0) {
            // JSON can write one as an escape, but Avro writes strings as UTF-8, which has no code for it: it would
            // arrive as '?'
            throw new InvalidSamplingJsonException(pointer, String.format("not Unicode text: an unpaired surrogate"
                    + " (\\u%04x) at character %d", (int) text.charAt(unpaired), unpaired));
        }
        return text;
    }

    static long asLong(JsonNode value, String pointer) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidSamplingJsonException(pointer, "expected an integer, got " + describe(value));
        }
        return value.longValue();
    }

    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
