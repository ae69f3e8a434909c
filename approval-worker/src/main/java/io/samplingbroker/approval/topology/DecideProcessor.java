package io.samplingbroker.approval.topology;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.approval.decision.DecisionEvents;
import io.samplingbroker.approval.decision.Outcome;
import io.samplingbroker.approval.decision.PolicyEvaluator;
import io.samplingbroker.approval.decision.Verdict;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingRequested;

/**
 * Decides each request: skips those that are past their deadline or already concluded, applies the policy against
 * the limit counters, charges the counters, and forwards the resulting events keyed by request id.
 *
 * <p>Logs carry request ids, sizes and decisions, never prompt text.
 */
final class DecideProcessor implements Processor<String, SamplingRequested, String, Outcome> {

    private static final Logger LOG = LoggerFactory.getLogger(DecideProcessor.class);

    private final PolicyEvaluator evaluator;
    private final Clock clock;
    private ProcessorContext<String, Outcome> context;
    private StoreLedger ledger;
    private KeyValueStore<String, Long> concluded;

    DecideProcessor(PolicyEvaluator evaluator, Clock clock) {
        this.evaluator = evaluator;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.ledger = new StoreLedger(context.getStateStore(ApprovalStores.REQUEST_COUNTS),
                context.getStateStore(ApprovalStores.TOKEN_USAGE), context.getStateStore(ApprovalStores.REQUEST_CHARGES));
        this.concluded = context.getStateStore(ApprovalStores.CONCLUDED_REQUESTS);
    }

    @Override
    public void process(Record<String, SamplingRequested> record) {
        SamplingRequested request = record.value();
        SamplingContext requestContext = request.getContext();
        String requestId = requestContext.getRequestId();
        Instant now = clock.instant();
        if (!requestContext.getDeadline().isAfter(now)) {
            LOG.debug("Skipping request {}: its deadline {} has passed", requestId, requestContext.getDeadline());
            return;
        }
        if (concluded.get(requestId) != null) {
            LOG.debug("Skipping request {}: it was cancelled or otherwise concluded before a decision", requestId);
            return;
        }
        long requestedAt = requestContext.getRequestedAt().toEpochMilli();
        Verdict verdict = evaluator.decide(request, ledger.viewFor(requestId, requestedAt));
        ledger.settle(requestId, requestedAt, verdict.letsThrough() ? verdict.charges() : List.of());
        Outcome outcome = DecisionEvents.of(request, verdict, now);
        context.forward(new Record<>(requestId, outcome, now.toEpochMilli()));
        if (LOG.isInfoEnabled()) {
            LOG.info("Request {} from host {} server {} ({} messages, maxTokens {}): {} by {} {}{}", requestId,
                    requestContext.getHostId(), requestContext.getServerName(), request.getParams().getMessages().size(),
                    request.getParams().getMaxTokens(), verdict.decision(), verdict.decidedBy().getKind(),
                    verdict.decidedBy().getName(), verdict.changes().isEmpty() ? "" : " " + verdict.changes());
        }
    }
}
