package io.samplingbroker.modelworker.worker;

import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;

import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;

/**
 * A lifecycle event that ends a request for the model-worker: cancelled (MCP {@code notifications/cancelled}: stop,
 * send nothing), expired (the server already got an error), abandoned (the session is gone: nothing can be
 * delivered) or delivered (someone already answered). Each means a provider call would be wasted. Event types the
 * worker does not know (a later schema version) are not signals.
 */
record LifecycleSignal(String requestId, String event, Instant deadline) {

    static LifecycleSignal of(SpecificRecord value) {
        SamplingContext context;
        if (value instanceof SamplingCancelled cancelled) {
            context = cancelled.getContext();
        } else if (value instanceof SamplingExpired expired) {
            context = expired.getContext();
        } else if (value instanceof SamplingAbandoned abandoned) {
            context = abandoned.getContext();
        } else if (value instanceof SamplingDelivered delivered) {
            context = delivered.getContext();
        } else {
            return null;
        }
        return new LifecycleSignal(context.getRequestId(), value.getClass().getSimpleName(), context.getDeadline());
    }
}
