package io.samplingbroker.approvalworker.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.schemas.EventContexts;

/**
 * Settles token budget reservations, on the task that holds the request's counters (completions are regrouped by
 * limit scope as requests are):
 * <ul>
 *   <li>a completion replaces the reservation with the input and output tokens the provider reported (one that
 *   reports neither, as a host's answer may, keeps the reservation: nothing better is known);</li>
 *   <li>a failure gives the reservation back;</li>
 *   <li>a request that ends without an outcome (cancelled, expired, abandoned) gives it back too: a punctuation
 *   releases it {@link #CONCLUDED_GRACE} after the request is seen concluded (a delivery is seen before its
 *   completion arrives here, on another topic), or {@link #DEADLINE_GRACE} after its deadline whatever happened.</li>
 * </ul>
 * A completion that comes after its reservation was given back (a provider that answered as the request was
 * cancelled) charges what it used: tokens spent are spent.
 */
final class SettleUsageProcessor implements Processor<String, SpecificRecord, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(SettleUsageProcessor.class);
    static final Duration CONCLUDED_GRACE = Duration.ofSeconds(5);
    static final Duration DEADLINE_GRACE = Duration.ofSeconds(30);
    static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

    private final Clock clock;
    private StoreLedger ledger;
    private KeyValueStore<String, byte[]> reservations;
    private KeyValueStore<String, Long> concluded;

    SettleUsageProcessor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        ledger = StoreLedger.of(context);
        reservations = context.getStateStore(ApprovalStores.TOKEN_RESERVATIONS);
        concluded = context.getStateStore(ApprovalStores.CONCLUDED_REQUESTS);
        context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> sweep(clock.millis()));
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SamplingContext context = EventContexts.of(record.value());
        if (context == null) {
            return;
        }
        String requestId = context.getRequestId();
        long requestedAt = context.getRequestedAt().toEpochMilli();
        if (record.value() instanceof SamplingCompleted completed) {
            TokenUsage usage = completed.getUsage();
            if (usage.getInputTokens() == null && usage.getOutputTokens() == null) {
                reservations.delete(requestId); // the reservation stands for what was spent
                return;
            }
            long used = orZero(usage.getInputTokens()) + orZero(usage.getOutputTokens());
            if (ledger.settleTokens(requestId, requestedAt, used)) {
                LOG.info("Request {}: token budgets settled at the {} tokens it used", requestId, used);
            }
            reservations.delete(requestId);
        } else if (record.value() instanceof SamplingFailed) {
            if (ledger.settleTokens(requestId, requestedAt, 0)) {
                LOG.info("Request {}: failed; its token reservation is given back", requestId);
            }
            reservations.delete(requestId);
        }
    }

    /** Gives back the reservations of requests that ended without an outcome. */
    void sweep(long now) {
        List<KeyValue<String, Reservation>> open = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = reservations.all()) {
            all.forEachRemaining(entry -> open.add(KeyValue.pair(entry.key, Reservation.decode(entry.value))));
        }
        for (KeyValue<String, Reservation> entry : open) {
            Reservation reservation = entry.value;
            boolean ended = concluded.get(entry.key) != null;
            if (ended && reservation.concludedSeenAt() == 0) {
                reservations.put(entry.key, reservation.concludedAt(now).encode());
            } else if (ended && now - reservation.concludedSeenAt() >= CONCLUDED_GRACE.toMillis()
                    || now - reservation.deadline() >= DEADLINE_GRACE.toMillis()) {
                ledger.settleTokens(entry.key, reservation.requestedAt(), 0);
                reservations.delete(entry.key);
                LOG.info("Request {}: ended without an outcome; its token reservation is given back", entry.key);
            }
        }
    }

    private static long orZero(Long tokens) {
        return tokens == null ? 0 : tokens;
    }
}
