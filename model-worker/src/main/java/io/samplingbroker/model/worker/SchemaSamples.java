package io.samplingbroker.model.worker;

import java.time.Instant;

import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.SamplingErrors;

/** Events that are serialized, never sent, to register the topic schemas at start-up. */
final class SchemaSamples {

    private SchemaSamples() {
    }

    static SamplingFailed failed() {
        SamplingContext context = SamplingContext.newBuilder()
                .setRequestId("schema-registration")
                .setTraceId("00000000000000000000000000000000")
                .setHostId("-")
                .setServerName("-")
                .setSessionId("-")
                .setJsonRpcId("0")
                .setRequestedAt(Instant.EPOCH)
                .setDeadline(Instant.EPOCH)
                .setReplyRoute(new ReplyRoute("-", null, null))
                .build();
        return SamplingFailed.newBuilder()
                .setContext(context)
                .setOccurredAt(Instant.EPOCH)
                .setStage(OutcomeEvents.STAGE)
                .setErrorCode("NONE")
                .setMessage("schema registration sample")
                .build();
    }

    static SamplingResolved resolved(SamplingContext context) {
        return SamplingResolved.newBuilder()
                .setContext(context)
                .setOccurredAt(Instant.EPOCH)
                .setError(new JsonRpcError(SamplingErrors.SAMPLING_FAILED, SamplingErrors.SAMPLING_FAILED_MESSAGE, null))
                .setResolvedBy(OutcomeEvents.STAGE)
                .build();
    }
}
