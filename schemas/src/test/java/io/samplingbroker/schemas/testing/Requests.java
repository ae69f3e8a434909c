package io.samplingbroker.schemas.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.HostSampling;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.events.mcp.ModelHint;
import io.samplingbroker.events.mcp.ModelPreferences;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.Tool;
import io.samplingbroker.events.mcp.ToolResultContent;

/** Builds sampling requests for tests: a plain one by default, with just the features a test is about. */
public final class Requests {

    /** When test requests are made; the deadline is a minute later. */
    public static final Instant T0 = Instant.parse("2026-11-24T10:15:30.123Z");

    private final String requestId;
    private String host = "vscode-alice";
    private String server = "everything";
    private Instant requestedAt = T0;
    private Duration timeToDeadline = Duration.ofMinutes(1);
    private long maxTokens = 1000;
    private final List<Object> content = new ArrayList<>();
    private String systemPrompt;
    private List<String> hints = List.of();
    private IncludeContext includeContext;
    private boolean tools;
    private HostSampling hostSampling;
    private String tenant;

    private Requests(String requestId) {
        this.requestId = requestId;
    }

    public static Requests request(String requestId) {
        return new Requests(requestId);
    }

    public Requests host(String value) {
        host = value;
        return this;
    }

    /** The host's tenant (none by default, as when hosts are not authenticated). */
    public Requests tenant(String value) {
        tenant = value;
        return this;
    }

    public Requests server(String value) {
        server = value;
        return this;
    }

    public Requests requestedAt(Instant value) {
        requestedAt = value;
        return this;
    }

    public Requests deadlineAfter(Duration value) {
        timeToDeadline = value;
        return this;
    }

    public Requests maxTokens(long value) {
        maxTokens = value;
        return this;
    }

    public Requests text(String value) {
        content.add(new TextContent(value, null, null, null));
        return this;
    }

    public Requests image() {
        content.add(new ImageContent("iVBORw0KGgo=", "image/png", null, null, null));
        return this;
    }

    /** A tool result whose only content is text: patterns must look inside tool results too. */
    public Requests toolResultText(String value) {
        content.add(new ToolResultContent("call-1", new ArrayList<>(List.of(new TextContent(value, null, null, null))),
                null, null, null, null));
        return this;
    }

    public Requests systemPrompt(String value) {
        systemPrompt = value;
        return this;
    }

    public Requests hints(String... names) {
        hints = List.of(names);
        return this;
    }

    public Requests includeContext(IncludeContext value) {
        includeContext = value;
        return this;
    }

    public Requests withTools() {
        tools = true;
        return this;
    }

    /** The host declared sampling itself, with or without {@code tools} and {@code context}. */
    public Requests hostSamples(boolean withTools, boolean withContext) {
        hostSampling = new HostSampling(withTools, withContext);
        return this;
    }

    public SamplingContext context() {
        return SamplingContext.newBuilder()
                .setRequestId(requestId)
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .setHostId(host)
                .setServerName(server)
                .setSessionId("sess-" + requestId)
                .setJsonRpcId("\"srv-" + requestId + "\"")
                .setRequestedAt(requestedAt)
                .setDeadline(requestedAt.plus(timeToDeadline))
                .setReplyRoute(new ReplyRoute("broker-1", "sampling.results", 3))
                .setTenant(tenant)
                .build();
    }

    public SamplingRequested build() {
        List<Object> blocks = new ArrayList<>(content);
        if (blocks.isEmpty()) {
            blocks.add(new TextContent("What is the capital of France?", null, null, null));
        }
        SamplingMessage message = SamplingMessage.newBuilder().setRole(Role.user).setContent(blocks)
                .setContentShape(blocks.size() == 1 ? ContentShape.SINGLE : ContentShape.ARRAY).build();
        CreateMessageParams.Builder params = CreateMessageParams.newBuilder()
                .setMessages(new ArrayList<>(List.of(message)))
                .setMaxTokens(maxTokens)
                .setSystemPrompt(systemPrompt)
                .setIncludeContext(includeContext);
        if (!hints.isEmpty()) {
            List<ModelHint> modelHints = new ArrayList<>();
            hints.forEach(name -> modelHints.add(new ModelHint(name, null)));
            params.setModelPreferences(ModelPreferences.newBuilder().setHints(modelHints).setCostPriority(0.3).build());
        }
        if (tools) {
            params.setTools(new ArrayList<>(List.of(Tool.newBuilder().setName("get_weather")
                    .setInputSchema("{\"type\":\"object\"}").build())));
        }
        return SamplingRequested.newBuilder()
                .setContext(context())
                .setOccurredAt(requestedAt)
                .setParams(params.build())
                .setProtocolVersion("2025-11-25")
                .setHostSampling(hostSampling)
                .build();
    }

    /** The model's answer, reporting these token counts (null: not reported). */
    public SamplingCompleted completed(Long inputTokens, Long outputTokens) {
        return SamplingCompleted.newBuilder().setContext(context()).setOccurredAt(requestedAt.plusSeconds(2))
                .setCreateMessageResult(CreateMessageResult.newBuilder().setRole(Role.assistant)
                        .setContent(List.of(new TextContent("an answer", null, null, null))).setModel("gpt-4o")
                        .setStopReason("endTurn").build())
                .setProvider("openai").setUsage(new TokenUsage(inputTokens, outputTokens, null)).setLatencyMillis(900)
                .build();
    }

    public SamplingFailed failed(String errorCode) {
        return SamplingFailed.newBuilder().setContext(context()).setOccurredAt(requestedAt.plusSeconds(2))
                .setStage("model-worker").setErrorCode(errorCode).setMessage("the provider failed")
                .setProvider("openai").build();
    }

    public SamplingCancelled cancelled() {
        return new SamplingCancelled(context(), requestedAt.plusMillis(5), CancelledBy.SERVER, "client gave up");
    }
}
