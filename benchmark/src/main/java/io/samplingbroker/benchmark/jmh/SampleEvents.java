package io.samplingbroker.benchmark.jmh;

import java.time.Instant;
import java.util.UUID;

import io.samplingbroker.benchmark.Prompts;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;

/** A realistic {@link SamplingRequested}, built the way the broker's dispatcher builds it. */
final class SampleEvents {

    private SampleEvents() {
    }

    /** A request of about {@code textBytes} bytes of prompt. */
    static SamplingRequested requested(int textBytes) {
        String params = "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\""
                + promptText(textBytes) + "\"}}],\"maxTokens\":100}";
        Instant now = Instant.now();
        String requestId = UUID.randomUUID().toString();
        SamplingContext context = SamplingContext.newBuilder()
                .setRequestId(requestId)
                .setTraceId(UUID.randomUUID().toString().replace("-", ""))
                .setHostId("bench-host")
                .setServerName("bench")
                .setSessionId(UUID.randomUUID().toString())
                .setJsonRpcId("42")
                .setRequestedAt(now)
                .setDeadline(now.plusSeconds(45))
                .setReplyRoute(new ReplyRoute("bench-broker", "sampling.results", null))
                .build();
        return SamplingRequested.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setParams(SamplingParamsJson.fromJson(McpJson.parse(params)))
                .setProtocolVersion("2025-11-25")
                .setHostDeclaredSamplingTools(true)
                .setHostDeclaredSamplingContext(false)
                .setTriggeringToolCall(null)
                .build();
    }

    /** The JSON-RPC {@code sampling/createMessage} text of about {@code textBytes} bytes of prompt. */
    static String requestText(int textBytes) {
        return "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"sampling/createMessage\",\"params\":{\"messages\":[{\"role\":"
                + "\"user\",\"content\":{\"type\":\"text\",\"text\":\"" + promptText(textBytes)
                + "\"}}],\"maxTokens\":100}}";
    }

    private static String promptText(int textBytes) {
        Prompts one = new Prompts(1, textBytes);
        String params = one.params(0);
        String text = params.substring(params.indexOf("\"text\":\"") + 8, params.indexOf("\"}}]"));
        StringBuilder sized = new StringBuilder(textBytes);
        while (sized.length() < textBytes) {
            sized.append(text, 0, Math.min(text.length(), textBytes - sized.length()));
        }
        return sized.toString();
    }
}
