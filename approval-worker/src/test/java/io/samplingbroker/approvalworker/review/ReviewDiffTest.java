package io.samplingbroker.approvalworker.review;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.schemas.json.McpJson;

/** What a reviewer changed, as readable lines. */
class ReviewDiffTest {

    @Test
    void givenAMultiLineText_whenOneLineChanges_thenOnlyThatLineIsShownRemovedAndAdded() {
        var before = McpJson.parse("{\"systemPrompt\": \"one\\ntwo\\nthree\"}");
        var after = McpJson.parse("{\"systemPrompt\": \"one\\n2\\nthree\"}");

        assertThat(ReviewDiff.between(before, after)).containsExactly("/systemPrompt:", "- two", "+ 2");
    }

    @Test
    void givenScalarsAndMembers_whenChangedAddedOrRemoved_thenEachIsOneLineWithItsPointer() {
        var before = McpJson.parse("{\"maxTokens\": 400, \"temperature\": 0.5, \"messages\": [{\"role\": \"user\"}]}");
        var after = McpJson.parse("{\"maxTokens\": 200, \"messages\": [{\"role\": \"user\"}, {\"role\": \"assistant\"}]}");

        assertThat(ReviewDiff.between(before, after)).containsExactly("/maxTokens: 400 -> 200",
                "/temperature: removed 0.5", "/messages/1: added {\"role\":\"assistant\"}");
    }

    @Test
    void givenALongValue_whenChanged_thenItsSizeAndHashAreShownNotTheData() {
        String big = "A".repeat(5000);
        var before = McpJson.parse("{\"data\": \"" + big + "\"}");
        var after = McpJson.parse("{\"data\": \"" + big + "B\"}");

        assertThat(ReviewDiff.between(before, after)).singleElement().asString()
                .startsWith("/data: (5002 characters, sha-256 ").contains("-> (5003 characters, sha-256 ")
                .doesNotContain("AAAA");
    }

    @Test
    void givenEqualDocuments_whenCompared_thenThereIsNoChange() {
        var doc = McpJson.parse("{\"a\": [1, {\"b\": \"c\"}]}");

        assertThat(ReviewDiff.between(doc, doc.deepCopy())).isEmpty();
    }
}
