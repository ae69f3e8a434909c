package io.samplingbroker.broker.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonRpcMessageTest {

    @Test
    void givenMessages_whenParsed_thenKindsAndIdsAreKnownAndTheTextIsKeptVerbatim() throws Exception {
        String text = "{ \"jsonrpc\": \"2.0\", \"id\": \"7\", \"method\": \"sampling/createMessage\", \"params\": {\"x\": 1.50} }";
        JsonRpcMessage request = JsonRpcMessage.parse(text);

        assertThat(request.kind()).isEqualTo(JsonRpcMessage.Kind.REQUEST);
        assertThat(request.idJson()).isEqualTo("\"7\"");
        assertThat(request.text()).isEqualTo(text);
        assertThat(JsonRpcMessage.parse("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}").idJson()).isEqualTo("7");
        assertThat(JsonRpcMessage.parse("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\"}").kind())
                .isEqualTo(JsonRpcMessage.Kind.NOTIFICATION);
    }

    @Test
    void givenAStringIdAndANumberId_whenAnswered_thenEachKeepsItsType() {
        assertThat(JsonRpc.result("\"7\"", "{}").text()).contains("\"id\":\"7\"");
        assertThat(JsonRpc.error("7", -1, "User rejected sampling request", "{\"reason\":\"policy\"}").json()
                .getValue("id")).isEqualTo(7);
    }

    @Test
    void givenInvalidMessages_whenParsed_thenTheProblemIsNamed() {
        assertThatThrownBy(() -> JsonRpcMessage.parse("{nope")).hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> JsonRpcMessage.parse("[{\"jsonrpc\":\"2.0\"}]"))
                .hasMessageContaining("batches are not supported");
        assertThatThrownBy(() -> JsonRpcMessage.parse("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"x\"}"))
                .hasMessage("\"jsonrpc\" must be \"2.0\"");
    }

    @Test
    void givenBrokenMessagesWithAReadableId_whenParsed_thenTheErrorAnswersThatId() {
        assertThat(problem("{\"jsonrpc\":\"2.0\",\"id\":\"nan-1\",\"method\":\"m\",\"params\":{\"x\":NaN}}"))
                .satisfies(e -> {
                    assertThat(e.code()).isEqualTo(-32700);
                    assertThat(e.idJson()).isEqualTo("\"nan-1\"");
                    assertThat(e.wasRequest()).isTrue();
                });
        assertThat(problem("{\"params\":{\"id\":\"inner\"},\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"m\","
                + "\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}").idJson())
                .as("the top-level id, past a nested one and nesting too deep to parse").isEqualTo("12");
        assertThat(problem("{\"jsonrpc\":\"1.0\",\"id\":3,\"result\":{}}")).satisfies(e -> {
            assertThat(e.code()).isEqualTo(-32600);
            assertThat(e.idJson()).isEqualTo("3");
            assertThat(e.wasRequest()).isFalse();
        });
        assertThat(problem("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"m\"}")).satisfies(e -> {
            assertThat(e.code()).isEqualTo(-32600);
            assertThat(e.idJson()).isNull();
            assertThat(e.toResponse().text()).contains("\"id\":null");
        });
        assertThat(problem("{\"id\":1.5,,").idJson()).as("not an integer: no id").isNull();
        assertThat(problem("not json at all").idJson()).isNull();
    }

    @Test
    void givenABrokenMessageWhoseIdIsNoJson_whenAnswered_thenTheErrorHasANullId() {
        // found by HostMessageFuzzTest: the id was taken for a string, and writing the error threw
        InvalidJsonRpcException e = problem("{\"jsonrpc\":\"2.0\",\"id\":\"a\u0000b\",\"method\":\"m\"");

        assertThat(e.idJson()).isNull();
        assertThat(e.toResponse().text()).contains("\"id\":null");
        assertThat(problem("{\"id\":007,\"method\":").idJson()).as("leading zeros are not JSON").isNull();
        assertThat(problem("{\"id\":-0,\"method\":").idJson()).isEqualTo("-0");
    }

    @Test
    void givenAMessageWithAComment_whenParsed_thenItIsNotJson() {
        // found by HostMessageFuzzTest: Vert.x's reader takes comments, and the text would have been relayed as it came
        InvalidJsonRpcException e = problem("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"} // a comment");

        assertThat(e.code()).isEqualTo(-32700);
        assertThat(e.idJson()).isEqualTo("4");
        assertThat(problem("{\"jsonrpc\":\"2.0\",/* no */\"method\":\"ping\"}").code()).isEqualTo(-32700);
    }

    private static InvalidJsonRpcException problem(String text) {
        try {
            JsonRpcMessage.parse(text);
        } catch (InvalidJsonRpcException e) {
            return e;
        }
        throw new AssertionError("parsed: " + text);
    }
}
