package io.samplingbroker.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Calls;
import io.samplingbroker.broker.mcp.Capabilities;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.samplingbroker.schemas.json.McpJson;
import io.vertx.core.MultiMap;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Coverage-guided: what a host posts to the gateway, its MCP headers and its body, in either era. Each input is
 * header lines ({@code Name: value}), a blank line, and the body, as on the wire; the seeds are real messages of both
 * revisions. Properties:
 * <ul>
 *   <li>a body that is not JSON-RPC 2.0 is refused with {@code -32700} or {@code -32600}, and the error answers the id
 *   when one could be read: a valid JSON-RPC response with that very id (the string "7" stays a string);</li>
 *   <li>an accepted message keeps its exact text (relayed byte for byte), its id round-trips through an answer, and
 *   the contract's JSON reader (Jackson, which re-reads sampling requests and results) reads it too: the broker never
 *   accepts a message it later calls invalid JSON;</li>
 *   <li>a sessionless message is served only with its envelope and headers agreeing, and refused otherwise with HTTP
 *   400 and one of the documented codes ({@code -32602}, {@code -32020}, {@code -32022}).</li>
 * </ul>
 */
class HostMessageFuzzTest {

    private static final Set<Integer> ENVELOPE_REFUSALS = Set.of(JsonRpc.INVALID_PARAMS, JsonRpc.HEADER_MISMATCH,
            JsonRpc.UNSUPPORTED_VERSION);

    @DictionaryEntries({"\"jsonrpc\"", "\"2.0\"", "\"id\"", "\"method\"", "\"params\"", "\"result\"", "\"error\"",
        "\"_meta\"", "\"io.modelcontextprotocol/protocolVersion\"", "\"io.modelcontextprotocol/clientCapabilities\"",
        "\"2026-07-28\"", "\"2025-11-25\"", "\"tools/call\"", "\"resources/read\"", "\"initialize\"",
        "\"server/discover\"", "\"name\"", "\"uri\"", "MCP-Protocol-Version: ", "Mcp-Method: ", "Mcp-Name: ",
        "Mcp-Session-Id: ", "\\x0A\\x0A", "NaN", "1e999", "9223372036854775808"})
    @FuzzTest
    void givenAnyPostedMessage_whenReadAndRouted_thenItIsRefusedWithADocumentedCodeOrKeptExactly(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int split = text.indexOf("\n\n");
        MultiMap headers = headers(split < 0 ? "" : text.substring(0, split));
        String body = split < 0 ? text : text.substring(split + 2);

        JsonRpcMessage message;
        try {
            message = JsonRpcMessage.parse(body);
        } catch (InvalidJsonRpcException refused) {
            assertAnswersWhatCouldBeRead(refused);
            return;
        }
        assertThat(message.text()).isSameAs(body);
        assertThat(McpJson.parse(body).isObject()).isTrue();
        if (message.kind() == JsonRpcMessage.Kind.REQUEST) {
            JsonRpcMessage answer = reparse(JsonRpc.result(message.idJson(), "{}"));
            assertThat(answer.id()).isEqualTo(message.id());
            assertThat(answer.withId(message.idJson())).isSameAs(answer);
        }
        if (message.isRequest("initialize")) {
            // what the broker declares to the server for the host, whatever the host declared
            JsonObject declared = Capabilities.withSamplingTasks(Capabilities.withSampling(
                    JsonMembers.object(message.params(), "capabilities")));
            assertThat(JsonMembers.object(JsonMembers.object(declared, "sampling"), "tools")).isNotNull();
        }
        if (!EnvelopeCheck.isSessionless(message, headers)) {
            return;
        }
        EnvelopeCheck.Refusal refusal = EnvelopeCheck.check(message, headers);
        if (refusal == null) {
            Envelope envelope = Envelope.of(message.params());
            assertThat(envelope.protocolVersion()).isEqualTo(ProtocolVersions.CURRENT);
            assertThat(headers.get(McpHeaders.PROTOCOL_VERSION)).isEqualTo(ProtocolVersions.CURRENT);
            assertThat(headers.get(McpHeaders.METHOD)).isEqualTo(message.method());
            String name = Calls.nameOf(message);
            if (name != null) {
                assertThat(headers.get(McpHeaders.NAME)).isEqualTo(name);
            }
            return;
        }
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(ENVELOPE_REFUSALS).contains(refusal.code());
        assertThat(refusal.message()).isNotBlank();
        // the refusal goes out as a JSON-RPC error answering the request
        JsonRpcMessage error = reparse(JsonRpc.error(message.idJson(), refusal.code(), refusal.message(),
                refusal.data() == null ? null : refusal.data().encode()));
        assertThat(error.json().getJsonObject("error").getInteger("code")).isEqualTo(refusal.code());
    }

    private static void assertAnswersWhatCouldBeRead(InvalidJsonRpcException refused) {
        assertThat(refused.code()).isIn(JsonRpc.PARSE_ERROR, JsonRpc.INVALID_REQUEST);
        JsonRpcMessage response = reparse(refused.toResponse());
        assertThat(response.kind()).isEqualTo(JsonRpcMessage.Kind.RESPONSE);
        JsonObject error = response.json().getJsonObject("error");
        assertThat(error.getInteger("code")).isEqualTo(refused.code());
        assertThat(error.getString("message")).startsWith("Invalid JSON-RPC message: ");
        if (refused.idJson() == null) {
            assertThat(response.json().containsKey("id")).isTrue();
            assertThat(response.id()).isNull();
        } else {
            Object id = Json.decodeValue(refused.idJson());
            assertThat(id).isInstanceOfAny(String.class, Integer.class, Long.class, BigInteger.class);
            assertThat(response.id()).isEqualTo(id);
        }
    }

    /** A message the broker built, read back as the receiving peer would. */
    private static JsonRpcMessage reparse(JsonRpcMessage built) {
        try {
            return JsonRpcMessage.parse(built.text());
        } catch (InvalidJsonRpcException e) {
            throw new AssertionError("the broker wrote a message that is not JSON-RPC: " + built.text(), e);
        }
    }

    private static MultiMap headers(String block) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String line : block.split("\n", -1)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }
}
