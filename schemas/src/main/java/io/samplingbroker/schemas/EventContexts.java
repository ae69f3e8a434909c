package io.samplingbroker.schemas;

import java.time.Instant;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import io.samplingbroker.events.SamplingContext;

/** The {@link SamplingContext} of any sampling event: every event record has it as its {@code context} field. */
public final class EventContexts {

    private static final String FIELD = "context";
    private static final String OCCURRED_AT = "occurredAt";

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

    /** When the event says it happened, or null for a value without {@code occurredAt} (a request: see its context). */
    public static Instant occurredAt(Object event) {
        if (!(event instanceof SpecificRecord record)) {
            return null;
        }
        Schema.Field field = record.getSchema().getField(OCCURRED_AT);
        return field != null && record.get(field.pos()) instanceof Instant at ? at : null;
    }
}
