package io.samplingbroker.approvalworker.policy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Where each value of a YAML (or JSON) document starts, by JSON pointer ({@code /rules/2/when/textMatches/0}).
 * Jackson's tree does not keep locations, so this walks the token stream once; validation after binding can then
 * name the line of the value at fault.
 */
final class SourceLocations {

    private final Map<String, JsonLocation> byPointer;

    private SourceLocations(Map<String, JsonLocation> byPointer) {
        this.byPointer = byPointer;
    }

    /** Scans {@code text}; syntax errors surface as Jackson's own exceptions, with their location. */
    static SourceLocations scan(JsonFactory factory, String text) throws IOException {
        Map<String, JsonLocation> locations = new HashMap<>();
        Deque<Container> open = new ArrayDeque<>();
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
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
        return new SourceLocations(locations);
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
