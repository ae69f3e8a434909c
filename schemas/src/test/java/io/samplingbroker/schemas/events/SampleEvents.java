package io.samplingbroker.schemas.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.HostKey;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.RefusedCommand;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.ReviewVerdict;
import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.json.SamplingResultJson;

/** Realistic events of one request's life, built from the JSON corpus. */
public final class SampleEvents {

    private static final Instant T0 = Instant.parse("2026-11-24T10:15:30.123Z");

    private SampleEvents() {
    }

    public static SamplingContext context(String requestId) {
        return SamplingContext.newBuilder()
                .setRequestId(requestId)
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .setHostId("vscode-alice")
                .setServerName("everything")
                .setSessionId("sess-" + requestId)
                .setJsonRpcId("\"srv-" + requestId + "\"")
                .setRequestedAt(T0)
                .setDeadline(T0.plusSeconds(45))
                .setReplyRoute(new ReplyRoute("broker-1", "sampling.results", 3))
                .build();
    }

    public static CreateMessageParams params(String corpusFile) {
        return SamplingParamsJson.fromJson(McpJson.parse(resource("/corpus/requests/" + corpusFile)));
    }

    public static CreateMessageResult result(String corpusFile) {
        return SamplingResultJson.fromJson(McpJson.parse(resource("/corpus/results/" + corpusFile)));
    }

    public static SamplingRequested requested(String requestId) {
        return SamplingRequested.newBuilder()
                .setContext(context(requestId))
                .setOccurredAt(T0)
                .setParams(params("05-tools-tool-use-tool-result.json"))
                .setProtocolVersion("2025-11-25")
                .setHostDeclaredSamplingTools(true)
                .setTriggeringToolCall("trigger-sampling-request")
                .build();
    }

    public static SamplingDecided amended(String requestId) {
        return SamplingDecided.newBuilder()
                .setContext(context(requestId))
                .setOccurredAt(T0.plus(3, ChronoUnit.MILLIS))
                .setDecision(Decision.AMENDED)
                .setDecidedBy(new Decider(DeciderKind.RULE, "cap-tokens"))
                .setReason("maxTokens capped by policy")
                .setChanges(List.of("maxTokens 1024 -> 512"))
                .setEffectiveParams(params("02-multi-turn-all-options.json"))
                .setForcedModel("offline-echo")
                .build();
    }

    public static SamplingDecided denied(String requestId) {
        return SamplingDecided.newBuilder()
                .setContext(context(requestId))
                .setOccurredAt(T0.plus(2, ChronoUnit.MILLIS))
                .setDecision(Decision.DENIED)
                .setDecidedBy(new Decider(DeciderKind.REVIEWER, "alice@example.com"))
                .setReason("Prompt asks for credentials")
                .build();
    }

    public static SamplingCompleted completed(String requestId) {
        return SamplingCompleted.newBuilder()
                .setContext(context(requestId))
                .setOccurredAt(T0.plus(40, ChronoUnit.MILLIS))
                .setCreateMessageResult(result("02-tool-use.json"))
                .setProvider("openai-compatible")
                .setUsage(new TokenUsage(812L, 37L, null))
                .setLatencyMillis(35)
                .setAttempts(2)
                .build();
    }

    public static SamplingFailed failed(String requestId) {
        return SamplingFailed.newBuilder()
                .setContext(context(requestId))
                .setOccurredAt(T0.plus(41, ChronoUnit.MILLIS))
                .setStage("model-worker")
                .setErrorCode("PROVIDER_RATE_LIMITED")
                .setMessage("Provider answered 429 three times; Retry-After 20 s exceeds the deadline")
                .setRetryable(true)
                .setAttempts(3)
                .setProvider("openai-compatible")
                .setProviderStatus(429)
                .build();
    }

    public static SamplingResolved resolvedWithResult(String requestId) {
        return SamplingResolved.newBuilder()
                .setContext(context(requestId))
                .setOccurredAt(T0.plus(42, ChronoUnit.MILLIS))
                .setCreateMessageResult(result("03-image-meta-and-provider-stop-reason.json"))
                .setResolvedBy("model-worker")
                .build();
    }

    public static SamplingResolved resolvedWithError(String requestId) {
        return SamplingResolved.newBuilder()
                .setContext(context(requestId))
                .setOccurredAt(T0.plus(4, ChronoUnit.MILLIS))
                .setError(new JsonRpcError(-1, "User rejected sampling request", "{\"reason\":\"policy\"}"))
                .setResolvedBy("approval-worker")
                .build();
    }

    public static SamplingDelivered delivered(String requestId) {
        return new SamplingDelivered(context(requestId), T0.plus(43, ChronoUnit.MILLIS), null);
    }

    public static SamplingCancelled cancelled(String requestId) {
        return new SamplingCancelled(context(requestId), T0.plus(5, ChronoUnit.MILLIS), CancelledBy.SERVER,
                "client gave up after 60 s");
    }

    public static SamplingExpired expired(String requestId) {
        return new SamplingExpired(context(requestId), T0.plusSeconds(45), "model");
    }

    public static SamplingAbandoned abandoned(String requestId) {
        return new SamplingAbandoned(context(requestId), T0.plus(6, ChronoUnit.MILLIS), "host session closed");
    }

    public static ReviewCommand reviewEdit(String requestId) {
        return ReviewCommand.newBuilder()
                .setRequestId(requestId)
                .setCommandId("cmd-" + requestId)
                .setStage(ReviewStage.REQUEST)
                .setAction(ReviewAction.EDIT)
                .setReviewer("alice")
                .setSubmittedAt(T0.plusSeconds(7))
                .setReason("no customer names")
                .setEditedParams(params("02-multi-turn-all-options.json"))
                .setForcedModel("offline-echo")
                .build();
    }

    /** An API key's record as the admin command writes it (its secret's hash made up). */
    public static HostKey hostKey(String keyId) {
        return HostKey.newBuilder().setKeyId(keyId).setHostId("ci-runner").setTenant("acme")
                .setScopes(java.util.List.of("sampling:use")).setSecretSha256(java.nio.ByteBuffer.wrap(new byte[32]))
                .setDescription("nightly evals").setCreatedAt(T0).setRevokedAt(null).build();
    }

    public static ReviewItem reviewedResponse(String requestId) {
        return ReviewItem.newBuilder()
                .setContext(context(requestId))
                .setStage(ReviewStage.RESPONSE)
                .setState(ReviewState.EDITED)
                .setHeldBy("check-answers")
                .setHeldAt(T0.plusSeconds(2))
                .setHoldReason("answers are reviewed")
                .setTriggeringToolCall("trigger-sampling-request")
                .setParams(params("05-tools-tool-use-tool-result.json"))
                .setReviewResponse(true)
                .setCompletion(result("02-tool-use.json"))
                .setProvider("offline")
                .setInputTokens(812L)
                .setOutputTokens(37L)
                .setDecision(new ReviewVerdict("cmd-1", "bob", T0.plusSeconds(9), ReviewAction.EDIT, "tone",
                        List.of("/content/text: \"a\" -> \"b\"")))
                .setRefused(List.of(new RefusedCommand("cmd-2", "carol", T0.plusSeconds(10),
                        "Already decided by bob at 10:15:39 UTC (edit)")))
                .setUpdatedAt(T0.plusSeconds(10))
                .build();
    }

    private static String resource(String path) {
        try (InputStream in = SampleEvents.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
