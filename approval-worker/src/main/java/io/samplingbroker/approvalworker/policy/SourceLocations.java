package io.samplingbroker.approvalworker.policy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * Where each value of a YAML (or JSON) document starts, by JSON pointer ({@code /rules/2/when/textMatches/0}).
 * Jackson's tree does not keep locations, so this walks the token stream once; validation after binding can then
 * name the line of the value at fault.
 */
final class SourceLocations {

    /** A YAML alias ({@code *name}) where a value is read. */
    record Alias(String anchor, JsonLocation location) {
    }

    private final Map<String, JsonLocation> byPointer;
    private final Alias firstAlias;

    private SourceLocations(Map<String, JsonLocation> byPointer, Alias firstAlias) {
        this.byPointer = byPointer;
        this.firstAlias = firstAlias;
    }

    /**
     * Scans {@code text}; syntax errors surface as Jackson's own exceptions, with their location (a limit of the
     * parser's, such as the nesting depth, at the place it was reached).
     */
    static SourceLocations scan(JsonFactory factory, String text) throws IOException {
        Map<String, JsonLocation> locations = new HashMap<>();
        Deque<Container> open = new ArrayDeque<>();
        Alias firstAlias = null;
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken token;
            while ((token = next(parser)) != null) {
                if (firstAlias == null && parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    firstAlias = new Alias(parser.getText(), parser.currentTokenLocation());
                }
                Container parent = open.peek();
                if (token == JsonToken.FIELD_NAME) {
                    // the key's line is where a reader looks for the field
                    parent.field = parser.currentName();
                    locations.put(parent.pointer + "/" + escape(parent.field), parser.currentTokenLocation());
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    open.pop();
                } else {
                    String pointer = "";
                    if (parent != null) {
                        pointer = parent.array ? parent.pointer + "/" + parent.nextIndex++
                                : parent.pointer + "/" + escape(parent.field);
                        locations.putIfAbsent(pointer, parser.currentTokenLocation());
                    }
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        open.push(new Container(pointer, token == JsonToken.START_ARRAY));
                    }
                }
            }
        }
        return new SourceLocations(locations, firstAlias);
    }

    /**
     * The next token; a broken limit is reported at the parser's place (Jackson gives it no location). A number's
     * length is checked here too: Jackson checks it only when the value is read, by which time no location is known.
     */
    private static JsonToken next(JsonParser parser) throws IOException {
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NUMBER_INT) {
                parser.streamReadConstraints().validateIntegerLength(parser.getTextLength());
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                parser.streamReadConstraints().validateFPLength(parser.getTextLength());
            }
            return token;
        } catch (StreamConstraintsException e) {
            throw new JsonParseException(parser, e.getOriginalMessage(), e);
        }
    }

    /** The first alias of the document, or null. */
    Alias firstAlias() {
        return firstAlias;
    }

    /** The location of {@code pointer}, or of its nearest enclosing value that has one; null for none. */
    JsonLocation find(String pointer) {
        String current = pointer;
        while (true) {
            JsonLocation location = byPointer.get(current);
            if (location != null || current.isEmpty()) {
                return location;
            }
            current = current.substring(0, current.lastIndexOf('/'));
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static final class Container {
        final String pointer;
        final boolean array;
        String field;
        int nextIndex;

        Container(String pointer, boolean array) {
            this.pointer = pointer;
            this.array = array;
        }
    }
}
