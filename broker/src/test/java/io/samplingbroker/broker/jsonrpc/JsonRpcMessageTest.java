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
}
