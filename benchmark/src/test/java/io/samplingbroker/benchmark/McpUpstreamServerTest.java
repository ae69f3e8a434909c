package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class McpUpstreamServerTest {

    @Test
    void givenTheBrokersAnswers_whenClassified_thenOnlyItsOverloadRefusalCountsAsShed() {
        assertThat(McpUpstreamServer.answerOf(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")))
                .isEqualTo(InFlight.Answer.RESULT);
        assertThat(McpUpstreamServer.answerOf(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32004,"
                + "\"message\":\"Sampling broker unavailable: overloaded, answers wait 1200 ms in the pipeline\"}}")))
                .isEqualTo(InFlight.Answer.SHED);
        assertThat(McpUpstreamServer.answerOf(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32004,"
                + "\"message\":\"Sampling broker unavailable: this broker instance is stopping\"}}")))
                .isEqualTo(InFlight.Answer.ERROR);
        assertThat(McpUpstreamServer.answerOf(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32001,"
                + "\"message\":\"Sampling request expired before an answer\"}}"))).isEqualTo(InFlight.Answer.ERROR);
    }
}
