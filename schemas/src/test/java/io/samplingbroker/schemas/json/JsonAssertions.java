package io.samplingbroker.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON equality as JSON defines it: member order does not matter, and numbers compare by value (1 equals 1.0). */
final class JsonAssertions {

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
    };

    private JsonAssertions() {
    }

    static void assertJsonEquals(JsonNode actual, JsonNode expected) {
        assertThat(actual.equals(NUMBERS_BY_VALUE, expected))
                .as("JSON equality%n expected: %s%n actual:   %s", expected, actual)
                .isTrue();
    }
}
