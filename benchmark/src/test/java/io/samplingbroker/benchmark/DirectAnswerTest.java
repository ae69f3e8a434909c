package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingResultJson;

class DirectAnswerTest {

    @Test
    void givenABenchmarkSamplingRequest_whenAnswered_thenTheResultIsTheOfflineModelsAndTheIdEchoes() {
        String request = new Prompts(4, 42).request(7);

        JsonNode response = McpJson.parse(DirectAnswer.respond(request));

        assertThat(response.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(response.path("id").isIntegralNumber()).isTrue();
        assertThat(response.path("id").asLong()).isEqualTo(7);
        JsonNode result = response.path("result");
        assertThat(result.path("role").asText()).isEqualTo("assistant");
        assertThat(result.path("content").path("type").asText()).isEqualTo("text");
        assertThat(result.path("content").path("text").asText())
                .startsWith("[offline-echo] received 1 message(s); last user text: ");
        assertThat(result.path("model").asText()).isEqualTo("offline-echo");
        assertThat(result.path("stopReason").asText()).isEqualTo("endTurn");
        assertThat(SamplingResultJson.fromJson(result).getModel()).isEqualTo("offline-echo"); // valid MCP result
    }

    @Test
    void givenAStringId_whenAnswered_thenItEchoesAsAString() {
        String request = "{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"method\":\"sampling/createMessage\",\"params\":"
                + "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"Hi\"}}],\"maxTokens\":100}}";

        JsonNode id = McpJson.parse(DirectAnswer.respond(request)).path("id");

        assertThat(id.isTextual()).isTrue();
        assertThat(id.asText()).isEqualTo("7");
    }

    @Test
    void givenParamsWithoutMaxTokens_whenAnswered_thenItIsAnInvalidParamsError() {
        String request = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"sampling/createMessage\",\"params\":"
                + "{\"messages\":[]}}";

        JsonNode response = McpJson.parse(DirectAnswer.respond(request));

        assertThat(response.path("id").asLong()).isEqualTo(3);
        assertThat(response.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(response.has("result")).isFalse();
    }

    @Test
    void givenAnotherMethod_whenAnswered_thenItIsMethodNotFound() {
        JsonNode response = McpJson.parse(DirectAnswer.respond("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}"));

        assertThat(response.path("error").path("code").asInt()).isEqualTo(-32601);
    }

    @Test
    void givenANotificationOrAResponse_whenAnswered_thenThereIsNothingToSend() {
        assertThat(DirectAnswer.respond("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}")).isNull();
        assertThat(DirectAnswer.respond("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{}}")).isNull();
    }
}
