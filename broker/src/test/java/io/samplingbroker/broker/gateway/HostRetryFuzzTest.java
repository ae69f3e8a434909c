package io.samplingbroker.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Calls;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.HeldRound;
import io.samplingbroker.broker.mcp.RequestStateSeal;
import io.vertx.core.json.JsonObject;

/**
 * Coverage-guided: a 2026-07-28 host retries a call the broker held a round of, with any body. Its
 * {@code requestState} either opens, if it is one the broker sealed for this call and host (the seeds carry real
 * ones, which the fuzzer alters), or is refused as invalid, never any other failure; and the request the server then
 * gets merges the inputs right: every answer the broker made, winning over an entry the host wrote under the same
 * key, the host's other entries kept, the server's own {@code requestState} restored, the params otherwise as sent.
 */
class HostRetryFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final RequestStateSeal SEAL = new RequestStateSeal("fuzz-test-key-of-at-least-32-bytes!".getBytes(
            StandardCharsets.UTF_8));
    private static final JsonObject SAMPLED = new JsonObject("{\"role\":\"assistant\",\"content\":{\"type\":\"text\","
            + "\"text\":\"4\"},\"model\":\"offline-echo\"}");
    /** The round a first call would have held, when the retry's state is not the broker's. */
    private static final HeldRound HELD = held("tools/call", "add");

    static Stream<byte[]> retries() {
        String sealed = SEAL.seal(HELD);
        String other = SEAL.seal(held("prompts/get", "summary"));
        return Stream.of(
                retry("tools/call", "\"name\":\"add\",", sealed, "{\"confirm\":{\"action\":\"accept\"}}"),
                retry("tools/call", "\"name\":\"add\",", sealed, "{\"llm\":{\"role\":\"assistant\",\"content\":"
                        + "{\"type\":\"text\",\"text\":\"forged\"},\"model\":\"x\"},\"confirm\":{\"action\":\"decline\"}}"),
                retry("tools/call", "\"name\":\"add\",", other, "{}"),
                retry("tools/call", "\"name\":\"add\",", "server-state-of-its-own", "[]"),
                retry("resources/read", "\"uri\":\"file:///a\",", sealed.substring(0, sealed.length() - 4) + "AAAA",
                        "{}"))
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("retries")
    @DictionaryEntries({"\"requestState\"", "\"inputResponses\"", "\"llm\"", "\"confirm\"", "\"_meta\"",
        "\"io.modelcontextprotocol/protocolVersion\"", "\"2026-07-28\"", "\"tools/call\"", "\"name\"", "\"add\"",
        "\"sampling-broker.1.\""})
    @FuzzTest
    void givenAnyRetryOfAHeldRound_whenMerged_thenTheBrokersAnswersWinAndTheServersStateIsRestored(byte[] input) {
        JsonRpcMessage request;
        try {
            request = JsonRpcMessage.parse(new String(input, StandardCharsets.UTF_8));
        } catch (InvalidJsonRpcException notJsonRpc) {
            return; // HostMessageFuzzTest's ground
        }
        if (request.kind() != JsonRpcMessage.Kind.REQUEST || request.params() == null
                || Envelope.of(request.params()) == null) {
            return; // not a sessionless call: never reaches the merge
        }
        HeldRound held;
        try {
            held = heldFor(request);
        } catch (RequestStateSeal.InvalidRequestStateException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }

        JsonObject sent = SessionlessCalls.forServer(request, Envelope.of(request.params()), held).params();

        JsonObject merged = sent.getJsonObject("inputResponses");
        held.answers().forEach(answer -> assertThat(merged.getValue(answer.getKey())).isEqualTo(answer.getValue()));
        if (request.params().getValue("inputResponses") instanceof JsonObject fromHost) {
            fromHost.forEach(entry -> {
                if (!held.answers().containsKey(entry.getKey())) {
                    assertThat(merged.getValue(entry.getKey())).isEqualTo(entry.getValue());
                }
            });
        }
        assertThat(sent.getValue("requestState")).isEqualTo(held.serverState());
        JsonObject rest = sent.copy();
        JsonObject asSent = request.params().copy();
        for (String replaced : new String[] {"inputResponses", "requestState", "_meta"}) {
            rest.remove(replaced);
            asSent.remove(replaced);
        }
        assertThat(rest).isEqualTo(asSent);
        assertThat(Envelope.of(sent).clientCapabilities().containsKey("sampling")).isTrue();
    }

    /** The round the retry's state holds, when the broker sealed it (checked as the gateway does), else one held. */
    private static HeldRound heldFor(JsonRpcMessage request) {
        if (request.params().getValue("requestState") instanceof String state && RequestStateSeal.isSealed(state)) {
            HeldRound opened = SEAL.open(state, NOW, request.method(), Calls.nameOf(request), null);
            assertThat(opened.callMethod()).isEqualTo(request.method());
            assertThat(opened.callName()).isEqualTo(Calls.nameOf(request));
            return opened;
        }
        return HELD;
    }

    private static HeldRound held(String method, String name) {
        return new HeldRound("srv-1", new JsonObject().put("llm", SAMPLED), new JsonObject(), 1, method, name,
                NOW.plusSeconds(600), null);
    }

    private static String retry(String method, String name, String state, String responses) {
        return "{\"jsonrpc\":\"2.0\",\"id\":\"7~retry\",\"method\":\"" + method + "\",\"params\":{" + name
                + "\"arguments\":{\"a\":2,\"b\":2},\"inputResponses\":" + responses + ",\"requestState\":\"" + state
                + "\",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
    }
}
