package io.samplingbroker.approvalworker.decision;

import io.samplingbroker.events.HostSampling;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.IncludeContext;

/**
 * Whether the host that asked can answer a request itself, by what it declared of MCP's {@code sampling}
 * capability: a client must not be sent tools it did not declare {@code sampling.tools} for, nor asked for context
 * without {@code sampling.context}.
 */
final class HostCapability {

    private HostCapability() {
    }

    /** Null when the host can take the request, else what it lacks, in words ("did not declare sampling"). */
    static String whyCannotTake(SamplingRequested request) {
        HostSampling declared = request.getHostSampling();
        if (declared == null) {
            return "did not declare sampling";
        }
        CreateMessageParams params = request.getParams();
        boolean usesTools = params.getTools() != null && !params.getTools().isEmpty() || params.getToolChoice() != null;
        if (usesTools && !declared.getTools()) {
            return "did not declare sampling.tools and the request has tools";
        }
        boolean asksContext = params.getIncludeContext() != null && params.getIncludeContext() != IncludeContext.none;
        if (asksContext && !declared.getContext()) {
            return "did not declare sampling.context and the request asks for context";
        }
        return null;
    }
}
