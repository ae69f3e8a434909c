package io.samplingbroker.sdkadapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;

class DelegationJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final DelegationJson json = new DelegationJson(mapper);

    @Test
    void givenTheSdksRequest_whenWrittenForTheBroker_thenItIsTheMcpParamsWithTheServerAndSession() throws Exception {
        CreateMessageRequest request = CreateMessageRequest.builder(List.of(new McpSchema.SamplingMessage(
                McpSchema.Role.USER, new McpSchema.TextContent(null, "hello", null))), 40).systemPrompt("be brief")
                .includeContext(CreateMessageRequest.ContextInclusionStrategy.THIS_SERVER)
                .meta(Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).build();

        JsonNode body = mapper.readTree(json.requestBody(request, "everything", "s-1", Duration.ofMinutes(10)));

        assertThat(body.path("server").asText()).isEqualTo("everything");
        assertThat(body.path("session").asText()).isEqualTo("s-1");
        assertThat(body.path("ttlMs").asLong()).as("the broker keeps it as long as the handler waits")
                .isEqualTo(600_000);
        JsonNode params = body.path("params");
        assertThat(params.path("maxTokens").asInt()).isEqualTo(40);
        assertThat(params.path("includeContext").asText()).isEqualTo("thisServer");
        assertThat(params.path("messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(params.path("messages").get(0).path("content").path("type").asText()).isEqualTo("text");
        assertThat(params.path("_meta").path("traceparent").asText()).startsWith("00-");
    }

    @Test
    void givenACompletedRequest_whenRead_thenItIsTheSdksResultEvenWithOneBlockInAnArray() throws Exception {
        CreateMessageResult result = json.outcome(mapper.readTree("{\"id\":\"r1\",\"status\":\"completed\","
                + "\"result\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],"
                + "\"model\":\"offline-echo\",\"stopReason\":\"endTurn\",\"newerMember\":1}}"));

        assertThat(result.model()).isEqualTo("offline-echo");
        assertThat(((McpSchema.TextContent) result.content()).text()).isEqualTo("hi");
        assertThat(result.stopReason()).isEqualTo(CreateMessageResult.StopReason.END_TURN);
    }

    @Test
    void givenAFailedRequest_whenRead_thenTheServerGetsTheBrokersJsonRpcError() throws Exception {
        McpError error = catchThrowableOfType(McpError.class, () -> json.outcome(mapper.readTree("{\"id\":\"r1\","
                + "\"status\":\"failed\",\"error\":{\"code\":-1,\"message\":\"User rejected sampling request\","
                + "\"data\":{\"rule\":\"no-secrets\"}}}")));

        assertThat(error.getJsonRpcError().code()).isEqualTo(-1);
        assertThat(error.getJsonRpcError().message()).isEqualTo("User rejected sampling request");
        assertThat(error.getJsonRpcError().data()).isEqualTo(Map.of("rule", "no-secrets"));
    }

    @Test
    void givenAnAnswerOfSeveralBlocks_whenRead_thenTheErrorSaysTheSdkCannotHoldIt() throws Exception {
        McpError error = catchThrowableOfType(McpError.class, () -> json.outcome(mapper.readTree("{\"status\":"
                + "\"completed\",\"result\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{}}]}}")));

        assertThat(error.getMessage()).contains("2 content blocks");
    }

    @Test
    void givenARefusal_whenRead_thenItsCodeFollowsTheStatusAndItNamesWhere() {
        McpError invalid = catchThrowableOfType(McpError.class, () -> json.answer(400, "{\"status\":400,\"title\":"
                + "\"Invalid request\",\"detail\":\"role is not one of user, assistant\",\"pointer\":"
                + "\"/params/messages/0/role\"}"));
        McpError limited = catchThrowableOfType(McpError.class, () -> json.answer(429, "{\"status\":429,"
                + "\"detail\":\"Too many requests in flight\"}"));

        assertThat(invalid.getJsonRpcError().code()).isEqualTo(DelegationJson.INVALID_PARAMS);
        assertThat(invalid.getJsonRpcError().data()).isEqualTo(Map.of("pointer", "/params/messages/0/role"));
        assertThat(limited.getJsonRpcError().code()).isEqualTo(DelegationJson.LIMIT_REACHED);
        assertThat(limited.getMessage()).contains("HTTP 429");
    }
}
