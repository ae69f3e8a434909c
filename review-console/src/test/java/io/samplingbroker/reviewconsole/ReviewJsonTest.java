package io.samplingbroker.reviewconsole;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.testing.Requests;

class ReviewJsonTest {

    private static final Instant REQUESTED = Instant.parse("2026-11-24T10:15:30.123Z");

    /** 9 characters of system prompt and 12 + 8 of text (one inside a tool result), an image, a tool. */
    private static ReviewItem itemWithTextImageAndTools() {
        return ReviewItems.pending(Requests.request("req-1").requestedAt(REQUESTED)
                .deadlineAfter(Duration.ofSeconds(45))
                .systemPrompt("Be brief.").text("Describe this").image().toolResultText("it's hot")
                .hints("claude-3-sonnet").withTools().maxTokens(1000));
    }

    @Test
    void givenAHeldRequestWithTextImageAndTools_whenSummarised_thenTheContractFieldsAreFilled() {
        // Given
        ReviewItem item = itemWithTextImageAndTools();
        // When
        ObjectNode summary = ReviewJson.summary(item);
        // Then
        assertThat(summary.get("requestId").asText()).isEqualTo("req-1");
        assertThat(summary.get("stage").asText()).isEqualTo("request");
        assertThat(summary.get("state").asText()).isEqualTo("pending");
        assertThat(summary.get("hostId").asText()).isEqualTo("vscode-alice");
        assertThat(summary.get("serverName").asText()).isEqualTo("everything");
        assertThat(summary.get("sessionId").asText()).isEqualTo("sess-req-1");
        assertThat(summary.get("triggeringToolCall").asText()).isEqualTo("trigger-sampling-request");
        assertThat(summary.get("heldBy").asText()).isEqualTo("hold-everything");
        assertThat(summary.get("requestedAt").asLong()).isEqualTo(REQUESTED.toEpochMilli());
        assertThat(summary.get("deadline").asLong()).isEqualTo(REQUESTED.toEpochMilli() + 45_000);
        assertThat(summary.get("modelPreferences").get("hints").get(0).asText()).isEqualTo("claude-3-sonnet");
        assertThat(summary.get("modelPreferences").get("costPriority").asDouble()).isEqualTo(0.3);
        assertThat(summary.get("modelPreferences").get("speedPriority").isNull()).isTrue();
        assertThat(summary.get("forcedModel").isNull()).isTrue();
        assertThat(summary.get("maxTokens").asLong()).isEqualTo(1000);
        assertThat(summary.get("messageCount").asInt()).isEqualTo(1);
        assertThat(summary.get("imageCount").asInt()).isEqualTo(1);
        assertThat(summary.get("toolCount").asInt()).isEqualTo(1);
        assertThat(summary.get("reviewResponse").asBoolean()).isFalse();
        assertThat(summary.get("completionTokens").isNull()).isTrue();
        assertThat(summary.get("decision").isNull()).isTrue();
        assertThat(summary.has("params")).isFalse();
    }

    @Test
    void givenThirtyCharactersOfText_whenSummarised_thenPromptTokensAreCharactersOverFourRoundedUp() {
        // Given: 9 ("Be brief.") + 13 ("Describe this") + 8 ("it's hot") = 30 characters
        ReviewItem item = itemWithTextImageAndTools();
        // When
        ObjectNode summary = ReviewJson.summary(item);
        // Then
        assertThat(summary.get("promptTokens").asLong()).isEqualTo(8); // ceil(30 / 4)
    }

    @Test
    void givenAResponseUnderReview_whenDetailed_thenParamsAndCompletionAreMcpJson() {
        // Given
        CreateMessageResult completion = CreateMessageResult.newBuilder().setRole(Role.assistant)
                .setContent(new java.util.ArrayList<>(java.util.List.of(new TextContent("Paris.", null, null, null))))
                .setContentShape(ContentShape.SINGLE).setModel("offline-echo").setStopReason("endTurn").build();
        ReviewItem item = ReviewItem.newBuilder(itemWithTextImageAndTools()).setStage(ReviewStage.RESPONSE)
                .setCompletion(completion).setProvider("offline").setInputTokens(120L).setOutputTokens(48L)
                .setReviewResponse(true).build();
        // When
        ObjectNode detail = ReviewJson.detail(item);
        // Then
        JsonNode content = detail.get("params").get("messages").get(0).get("content");
        assertThat(content).hasSize(3);
        assertThat(content.get(1).get("type").asText()).isEqualTo("image");
        assertThat(content.get(1).get("mimeType").asText()).isEqualTo("image/png");
        assertThat(detail.get("params").get("systemPrompt").asText()).isEqualTo("Be brief.");
        assertThat(detail.get("params").get("tools").get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(detail.get("completion").get("content").get("text").asText()).isEqualTo("Paris.");
        assertThat(detail.get("completion").get("model").asText()).isEqualTo("offline-echo");
        assertThat(detail.get("provider").asText()).isEqualTo("offline");
        assertThat(detail.get("inputTokens").asLong()).isEqualTo(120);
        assertThat(detail.get("outputTokens").asLong()).isEqualTo(48);
        assertThat(detail.get("completionTokens").asLong()).isEqualTo(48);
        assertThat(detail.get("stage").asText()).isEqualTo("response");
    }

    @Test
    void givenADecidedItem_whenSummarised_thenTheDecisionNamesReviewerAndAction() {
        // Given
        ReviewItem item = ReviewItems.decided(itemWithTextImageAndTools(), "cmd-1", "bob", ReviewAction.DENY);
        // When
        ObjectNode summary = ReviewJson.summary(item);
        // Then
        assertThat(summary.get("state").asText()).isEqualTo(ReviewState.DENIED.name().toLowerCase());
        assertThat(summary.get("decision").get("reviewer").asText()).isEqualTo("bob");
        assertThat(summary.get("decision").get("action").asText()).isEqualTo("deny");
        assertThat(summary.get("decision").get("changes").isArray()).isTrue();
        assertThat(summary.get("decision").has("commandId")).isFalse();
    }
}
