package io.samplingbroker.schemas.json;

/**
 * Checks that text is base64 as the MCP schema's {@code format: byte} means it: RFC 4648 section 4, the standard
 * alphabet ({@code A-Z a-z 0-9 + /}), padded with {@code =} to a multiple of four characters, nothing else (no
 * whitespace or line breaks, no URL-safe {@code - _}). Like the JSON Schema {@code byte} format of the MCP SDKs'
 * validators, the unused bits of the last character are not checked. One linear scan; the decoded bytes are never
 * allocated, since an image can be megabytes.
 */
final class Base64Text {

    private Base64Text() {
    }

    /** Throws {@link InvalidSamplingJsonException} at {@code pointer} unless {@code text} is padded standard base64. */
    static void require(String text, String pointer) {
        String problem = problem(text);
        if (problem != null) {
            throw new InvalidSamplingJsonException(pointer, "is not valid base64: " + problem);
        }
    }

    /** What makes {@code text} not padded standard base64, or null when it is. */
    static String problem(String text) {
        int length = text.length();
        int data = 0;
        while (data < length && inAlphabet(text.charAt(data))) {
            data++;
        }
        for (int i = data; i < length; i++) {
            char c = text.charAt(i);
            if (c == '=') {
                continue;
            }
            if (inAlphabet(c)) {
                return "padding '=' at index " + data + " is followed by data at index " + i;
            }
            return "character " + describe(c) + " at index " + i + " is not in the standard alphabet (A-Z a-z 0-9 + /)";
        }
        int padding = length - data;
        if (padding > 2) {
            return padding + " padding characters, at most 2 are allowed";
        }
        if (length % 4 != 0) {
            return "length " + length + " is not a multiple of 4 (padding with '=' is required)";
        }
        return null;
    }

    private static boolean inAlphabet(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static String describe(char c) {
        String code = String.format("U+%04X", (int) c);
        return c > ' ' && c < 0x7f ? "'" + c + "' (" + code + ")" : code;
    }
}
