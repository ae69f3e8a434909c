package io.samplingbroker.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Envelope;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

class EnvelopeCheckTest {

    @Test
    void givenAWellFormedSessionlessCall_whenChecked_thenItPasses() {
        assertThat(EnvelopeCheck.check(call("2026-07-28", true), headers("2026-07-28", "tools/call", "sample")))
                .isNull();
        assertThat(EnvelopeCheck.check(discover(), headers("2026-07-28", "server/discover", null)))
                .as("no Mcp-Name for a method that names nothing").isNull();
    }

    @Test
    void givenHeadersThatDisagreeWithTheBody_whenChecked_thenMinus32020BeforeAnyVersionCheck() {
        assertRefusal(EnvelopeCheck.check(call("2026-07-28", true), headers(null, "tools/call", "sample")), -32020,
                "MCP-Protocol-Version header is required");
        assertRefusal(EnvelopeCheck.check(call("2027-01-01", true), headers("2026-07-28", "tools/call", "sample")),
                -32020, "disagrees with params._meta (2027-01-01)");
        assertRefusal(EnvelopeCheck.check(call("2026-07-28", true), headers("2026-07-28", "tools/list", "sample")),
                -32020, "Mcp-Method header (tools/list)");
        assertRefusal(EnvelopeCheck.check(call("2026-07-28", true), headers("2026-07-28", "tools/call", null)), -32020,
                "Mcp-Name header is required for tools/call");
        assertRefusal(EnvelopeCheck.check(call("2026-07-28", true), headers("2026-07-28", "tools/call", "other")),
                -32020, "Mcp-Name header (other) disagrees with the body (sample)");
    }

    @Test
    void givenAnUnsupportedVersionOrAMissingEnvelope_whenChecked_thenTheSpecsCodeWithItsData() {
        EnvelopeCheck.Refusal future = EnvelopeCheck.check(call("2027-01-01", true), headers("2027-01-01", "tools/call",
                "sample"));
        assertRefusal(future, -32022, "Unsupported protocol version 2027-01-01");
        assertThat(future.data().getJsonArray("supported")).containsExactly("2026-07-28");
        EnvelopeCheck.Refusal noCapabilities = EnvelopeCheck.check(call("2026-07-28", false),
                headers("2026-07-28", "tools/call", "sample"));
        assertRefusal(noCapabilities, -32602, "io.modelcontextprotocol/clientCapabilities");
        assertThat(noCapabilities.data().getJsonObject("envelope").getJsonArray("missing"))
                .containsExactly("io.modelcontextprotocol/clientCapabilities");
    }

    @Test
    void givenMetaOrItsMembersOfTheWrongType_whenRoutedAndChecked_thenRefusedAsMissingNotThrown() {
        // found by HostRetryFuzzTest: "_meta": "x" made Envelope.of throw ClassCastException before any answer
        JsonRpcMessage metaText = JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", 1)
                .put("method", "tools/call").put("params", new JsonObject().put("name", "sample").put("_meta", "x")));
        JsonRpcMessage capabilitiesText = JsonRpcMessage.of(call("2026-07-28", false).json().copy());
        capabilitiesText.params().getJsonObject("_meta").put("io.modelcontextprotocol/clientCapabilities", "all")
                .put("io.modelcontextprotocol/clientInfo", 7);
        MultiMap current = headers("2026-07-28", "tools/call", "sample");

        assertThat(EnvelopeCheck.isSessionless(metaText, current)).isTrue();
        assertRefusal(EnvelopeCheck.check(metaText, current), -32602, "missing [\"io.modelcontextprotocol/protocolVersion\","
                + "\"io.modelcontextprotocol/clientCapabilities\"]");
        assertRefusal(EnvelopeCheck.check(JsonRpcMessage.of(capabilitiesText.json()), current), -32602,
                "io.modelcontextprotocol/clientCapabilities");
        assertThat(Envelope.of(capabilitiesText.params()).clientInfo()).isEmpty();
    }

    private static void assertRefusal(EnvelopeCheck.Refusal refusal, int code, String message) {
        assertThat(refusal).isNotNull();
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.code()).isEqualTo(code);
        assertThat(refusal.message()).contains(message);
    }

    private static JsonRpcMessage call(String version, boolean withCapabilities) {
        JsonObject meta = new JsonObject().put("io.modelcontextprotocol/protocolVersion", version);
        if (withCapabilities) {
            meta.put("io.modelcontextprotocol/clientCapabilities", new JsonObject());
        }
        return JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
                .put("params", new JsonObject().put("name", "sample").put("_meta", meta)));
    }

    private static JsonRpcMessage discover() {
        return JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "server/discover")
                .put("params", new JsonObject().put("_meta", new JsonObject()
                        .put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
                        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject()))));
    }

    private static MultiMap headers(String version, String method, String name) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (version != null) {
            headers.add("MCP-Protocol-Version", version);
        }
        if (method != null) {
            headers.add("Mcp-Method", method);
        }
        if (name != null) {
            headers.add("Mcp-Name", name);
        }
        return headers;
    }
}
