package io.samplingbroker.modelworker.testing;

import java.time.Instant;
import java.util.List;

import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.mcp.CreateMessageParams;

/** Events as the broker and the approval-worker write them, for one request. */
public final class WorkerEvents {

    private WorkerEvents() {
    }

    public static SamplingContext context(String requestId, Instant deadline) {
        return SamplingContext.newBuilder()
                .setRequestId(requestId)
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .setHostId("vscode-alice")
                .setServerName("everything")
                .setSessionId("sess-" + requestId)
                .setJsonRpcId("\"srv-" + requestId + "\"")
                .setRequestedAt(deadline.minusSeconds(60))
                .setDeadline(deadline)
                .setReplyRoute(new ReplyRoute("broker-1", null, null))
                .build();
    }

    public static SamplingDecided decided(String requestId, Decision decision, CreateMessageParams params,
            Instant deadline) {
        return SamplingDecided.newBuilder()
                .setContext(context(requestId, deadline))
                .setOccurredAt(Instant.now())
                .setDecision(decision)
                .setDecidedBy(new Decider(DeciderKind.RULE, "allow-all"))
                .setChanges(List.of())
                .setEffectiveParams(params)
                .build();
    }

    /** Approved as asked, due in a minute. */
    public static SamplingDecided approved(String requestId, String userText) {
        return decided(requestId, Decision.APPROVED, McpParams.text(userText, 200), Instant.now().plusSeconds(60));
    }

    public static SamplingCancelled cancelled(String requestId) {
        return new SamplingCancelled(context(requestId, Instant.now().plusSeconds(60)), Instant.now(),
                CancelledBy.SERVER, "client gave up");
    }
}
