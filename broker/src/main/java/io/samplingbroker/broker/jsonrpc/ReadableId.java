package io.samplingbroker.broker.jsonrpc;

/**
 * Reads what can be read of a message that is not valid JSON-RPC (bad JSON, NaN, nesting deeper than the parser
 * allows): the top-level {@code id}, when it is a string or an integer, and whether it has a top-level
 * {@code method}, so the sender of a broken request still gets an error answering its id instead of silence. A single
 * pass with a depth counter, no recursion: any input, however nested, is read in linear time.
 *
 * @param idJson the id as JSON text, or null when none can be read
 * @param hasMethod whether a top-level {@code method} key was seen (the message was meant as a request)
 */
record ReadableId(String idJson, boolean hasMethod) {

    static final ReadableId NONE = new ReadableId(null, false);

    static ReadableId of(String text) {
        int i = skipSpace(text, 0);
        if (i >= text.length() || text.charAt(i) != '{') {
            return NONE;
        }
        String idJson = null;
        boolean hasMethod = false;
        i++;
        while (true) {
            i = skipSpace(text, i);
            if (i >= text.length() || text.charAt(i) != '"') {
                return new ReadableId(idJson, hasMethod);
            }
            int keyEnd = stringEnd(text, i);
            if (keyEnd < 0) {
                return new ReadableId(idJson, hasMethod);
            }
            String key = text.substring(i + 1, keyEnd - 1);
            i = skipSpace(text, keyEnd);
            if (i >= text.length() || text.charAt(i) != ':') {
                return new ReadableId(idJson, hasMethod);
            }
            int valueStart = skipSpace(text, i + 1);
            int valueEnd = valueEnd(text, valueStart);
            if (key.equals("id") && idJson == null) {
                idJson = idValue(text.substring(valueStart, valueEnd).strip());
            } else if (key.equals("method")) {
                hasMethod = true;
            }
            i = skipSpace(text, valueEnd);
            if (i >= text.length() || text.charAt(i) != ',') {
                return new ReadableId(idJson, hasMethod);
            }
            i++;
        }
    }

    /**
     * A string literal without escapes or control characters, or an integer without leading zeros: the error's id
     * must be JSON, which forbids both. Anything else is no id to answer.
     */
    private static String idValue(String value) {
        if (value.matches("\"[^\"\\\\\\x00-\\x1F]{0,200}\"") || value.matches("-?(0|[1-9]\\d{0,17})")) {
            return value;
        }
        return null;
    }

    /** Where the value starting at {@code start} ends: at the first top-level {@code ,} or {@code }} after it. */
    private static int valueEnd(String text, int start) {
        int depth = 0;
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = stringEnd(text, i);
                if (end < 0) {
                    return text.length();
                }
                i = end;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
            i++;
        }
        return i;
    }

    /** The index just past the string literal opening at {@code start}, or -1 when it never closes. */
    private static int stringEnd(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
