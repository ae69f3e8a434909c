package io.samplingbroker.schemas;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import io.samplingbroker.events.SamplingContext;

/** The {@link SamplingContext} of any sampling event: every event record has it as its {@code context} field. */
public final class EventContexts {

    private static final String FIELD = "context";

    private EventContexts() {
    }

    /** The event's context, or null for a value that carries none (a review command, an unknown type). */
    public static SamplingContext of(Object event) {
        if (!(event instanceof SpecificRecord record)) {
            return null;
        }
        Schema.Field field = record.getSchema().getField(FIELD);
        return field != null && record.get(field.pos()) instanceof SamplingContext context ? context : null;
    }
}
