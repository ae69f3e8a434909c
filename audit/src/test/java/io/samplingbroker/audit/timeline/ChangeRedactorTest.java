package io.samplingbroker.audit.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChangeRedactorTest {

    @Test
    void givenReviewerDiffsAndRuleAmendments_whenRedacted_thenTextBecomesSizesAndSettingsStay() {
        // Given the kinds of line the approval-worker writes
        List<String> changes = List.of(
                "/systemPrompt:", "- You are helpful.", "+ You are terse.",
                "/messages/1/content/text: \"secret plan\" -> \"a plan\"",
                "/messages/2: added {\"role\":\"user\"}",
                "/maxTokens: 4000 -> 1000",
                "maxTokens 4000 -> 1000",
                "model [claude-3-sonnet] -> offline-echo");
        // When
        List<String> redacted = ChangeRedactor.redact(changes);
        // Then
        assertThat(redacted).containsExactly(
                "/systemPrompt:", "- (16 chars)", "+ (14 chars)",
                "/messages/1/content/text: (13 chars) -> (8 chars)",
                "/messages/2: added (15 chars)",
                "/maxTokens: 4000 -> 1000",
                "maxTokens 4000 -> 1000",
                "model [claude-3-sonnet] -> offline-echo");
        assertThat(String.join("\n", redacted)).doesNotContain("secret").doesNotContain("helpful");
    }
}
