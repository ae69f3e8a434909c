package io.samplingbroker.approvalworker.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
import io.samplingbroker.schemas.AnsweringModel;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;

/**
 * Settles budget reservations, on the task that holds the request's counters (completions are regrouped by limit
 * scope as requests are):
 * <ul>
 *   <li>a completion replaces the reservation with the input and output tokens the provider reported, and with what
 *   they cost at the price of the model that answered (one that reports no tokens, as a host's answer does, keeps the
 *   token reservation: nothing better is known; a host's answer costs nothing; a model the price catalogue lacks
 *   keeps the cost reservation);</li>
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
    private final PriceCatalogue prices;
    private final Set<String> unpriced = new HashSet<>();
    private StoreLedger ledger;
    private KeyValueStore<String, byte[]> reservations;
    private KeyValueStore<String, Long> concluded;

    SettleUsageProcessor(Clock clock, PriceCatalogue prices) {
        this.clock = clock;
        this.prices = prices;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        ledger = StoreLedger.of(context);
        reservations = context.getStateStore(ApprovalStores.BUDGET_RESERVATIONS);
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
                // the token reservation stands for what was spent; a host's own model cost the broker nothing
                if (AnsweringModel.HOST_PROVIDER.equals(completed.getProvider())) {
                    ledger.settleUsage(requestId, requestedAt, null, 0L);
                }
                reservations.delete(requestId);
                return;
            }
            long input = orZero(usage.getInputTokens());
            long output = orZero(usage.getOutputTokens());
            String model = AnsweringModel.of(completed);
            Long cost = prices.of(model)
                    .map(price -> price.costMicros(input, orZero(usage.getCachedInputTokens()), output)).orElse(null);
            if (ledger.settleUsage(requestId, requestedAt, input + output, cost)) {
                LOG.info("Request {}: budgets settled at the {} tokens it used, costing {} ({})", requestId,
                        input + output, cost == null ? "its reservation" : prices.format(cost), model);
                if (cost == null && !prices.isEmpty() && unpriced.add(model)) {
                    LOG.warn("Model {} has no price in the price catalogue: cost budgets keep the reservations of its"
                            + " answers (at the highest price)", model);
                }
            }
            reservations.delete(requestId);
        } else if (record.value() instanceof SamplingFailed) {
            if (ledger.settleUsage(requestId, requestedAt, 0L, 0L)) {
                LOG.info("Request {}: failed; its budget reservation is given back", requestId);
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
                ledger.settleUsage(entry.key, reservation.requestedAt(), 0L, 0L);
                reservations.delete(entry.key);
                LOG.info("Request {}: ended without an outcome; its budget reservation is given back", entry.key);
            }
        }
    }


    private static long orZero(Long tokens) {
        return tokens == null ? 0 : tokens;
    }
}
