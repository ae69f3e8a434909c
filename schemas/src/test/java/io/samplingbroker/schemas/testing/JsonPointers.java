package io.samplingbroker.schemas.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.schemas.json.InvalidSamplingJsonException;

/** What the fuzz tests check of a refusal's JSON pointer, wherever a body is refused with one. */
public final class JsonPointers {

    /** An RFC 6901 JSON pointer: {@code ""}, or {@code /}-separated tokens with {@code ~} escaped as {@code ~0}/{@code ~1}. */
    public static final String RFC_6901 = "(/([^~/]|~[01])*)*";
    /** How {@code McpJson.parse} refuses a whole text: no JSON, or a number past what its reader holds. */
    public static final String WHOLE_TEXT_REFUSED = "(?s)/: (not valid JSON|a number out of range).*";

    private JsonPointers() {
    }

    /**
     * The refusal's pointer is RFC 6901, its message starts with it, and it names a member of {@code document}, or one
     * missing from an object of it (a required member, a content block's type): the sender can find what to fix.
     */
    public static void assertPointsInto(JsonNode document, InvalidSamplingJsonException refused) {
        String pointer = refused.pointer();
        assertThat(pointer).matches(RFC_6901);
        assertThat(refused.getMessage()).startsWith((pointer.isEmpty() ? "/" : pointer) + ": ");
        if (pointer.isEmpty() || !document.at(pointer).isMissingNode()) {
            return; // the whole document (an empty text reads as no document at all), or a member of it
        }
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        assertThat(document.at(parent).isObject())
                .as("%s names nothing in the document, and %s is no object it could be missing from", pointer, parent)
                .isTrue();
    }
}
