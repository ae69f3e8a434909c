package io.samplingbroker.approvalworker.topology;

import java.time.Clock;
import java.time.Duration;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.EventContexts;

/**
 * Keeps the ids of requests whose life ended (every lifecycle event ends one), read from the lifecycle topic, until
 * their deadline.
 *
 * <p>A global store rather than a join: Kafka Streams feeds a task the record with the lowest timestamp first, so a
 * backlog's request would always be decided before its (later) cancellation. A global store is read up to the end
 * of the lifecycle topic before any request is decided, and kept current on its own thread afterwards.
 *
 * <p>An id is kept only until the request's deadline: after it the request is skipped anyway, which keeps the store
 * as small as the number of requests in flight.
 */
final class ConcludedRequestsRecorder implements Processor<String, SpecificRecord, Void, Void> {

    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private KeyValueStore<String, Long> concluded;
    private long nextPurge;

    ConcludedRequestsRecorder(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        concluded = context.getStateStore(ApprovalStores.CONCLUDED_REQUESTS);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SamplingContext context = EventContexts.of(record.value());
        long now = clock.millis();
        if (context != null && context.getDeadline().toEpochMilli() > now) {
            concluded.put(context.getRequestId(), context.getDeadline().toEpochMilli());
        }
        // Global stores cannot schedule punctuations: purge as records arrive.
        if (now >= nextPurge) {
            purgeBefore(now);
            nextPurge = now + PURGE_EVERY.toMillis();
        }
    }

    private void purgeBefore(long now) {
        try (KeyValueIterator<String, Long> all = concluded.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (entry.value <= now) {
                    concluded.delete(entry.key);
                }
            }
        }
    }
}
