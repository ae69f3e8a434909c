package io.samplingbroker.approvalworker.topology;

import java.time.Clock;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import io.opentelemetry.api.trace.Tracer;
import io.samplingbroker.approvalworker.decision.Outcome;
import io.samplingbroker.approvalworker.decision.PolicyEvaluator;
import io.samplingbroker.approvalworker.policy.Policy;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;

/**
 * The approval-worker as a Kafka Streams topology:
 *
 * <pre>
 * lifecycle ──▶ [global store: concluded request ids]
 * requests ─┬─ decision reads limit counters ─▶ re-key by limit scope ─▶ (internal topic) ─▶ decide ─┐
 *            └─ no counters read ───────────────────────────────────────────────────────▶ decide ─┴┬─▶ decisions
 *                                                                                                   └─▶ results (denials)
 * completions ─ (policy has budgets) ─▶ re-key by limit scope ─▶ (internal topic) ─▶ settle usage
 * </pre>
 *
 * Only requests whose decision reads a rate limit or token budget take the internal topic (two Kafka hops); the
 * others are decided where they arrive. Completions reach the task holding their request's counters the same way,
 * and settle its budget reservations on what the provider reported (only under a policy with budgets). Every node and internal topic has a fixed name and both paths always exist,
 * so the topology (and its internal topics and stores) stays the same when the policy changes.
 */
public final class ApprovalTopology {

    /** Name of the internal topic's node; the topic is {@code <application.id>-decide-by-limit-scope-repartition}. */
    public static final String REPARTITION_NAME = "decide-by-limit-scope";
    /** Name of the completions' internal topic: {@code <application.id>-settle-by-limit-scope-repartition}. */
    public static final String SETTLE_REPARTITION_NAME = "settle-by-limit-scope";
    private static final String COUNTED = "counted";
    private static final String UNCOUNTED = "uncounted";

    private ApprovalTopology() {
    }

    public static Topology build(Policy policy, PriceCatalogue prices, SamplingTopics topics, ApprovalSerdes serdes,
            Clock clock, DecisionMetrics metrics, Tracer tracer) {
        PolicyEvaluator evaluator = new PolicyEvaluator(policy, prices);
        DecisionPartitioning partitioning = DecisionPartitioning.forPolicy(policy);
        StreamsBuilder builder = new StreamsBuilder();

        builder.addGlobalStore(ApprovalStores.concludedRequests(), topics.lifecycle().name(),
                Consumed.with(Serdes.String(), serdes.lifecycle()).withName("lifecycle"),
                () -> new ConcludedRequestsRecorder(clock));
        builder.addStateStore(ApprovalStores.requestCounts());
        builder.addStateStore(ApprovalStores.tokenUsage());
        builder.addStateStore(ApprovalStores.requestCharges());
        builder.addStateStore(ApprovalStores.budgetUsage());
        builder.addStateStore(ApprovalStores.budgetReservations());

        Map<String, KStream<String, SamplingRequested>> paths = builder
                .stream(topics.requests().name(), Consumed.with(Serdes.String(), serdes.requested()).withName("requests"))
                // the broker answered the requests it refused itself (SamplingRefused): nothing to decide
                .filter((requestId, request) -> request instanceof SamplingRequested, Named.as("requests-only"))
                .mapValues(request -> (SamplingRequested) request, Named.as("as-request"))
                .split(Named.as("path-"))
                .branch((requestId, request) -> evaluator.needsCounters(request), Branched.as(COUNTED))
                .defaultBranch(Branched.as(UNCOUNTED));

        KStream<String, Outcome> counted = paths.get("path-" + COUNTED)
                .selectKey((requestId, request) -> partitioning.keyOf(request.getContext()), Named.as("key-by-limit-scope"))
                .repartition(Repartitioned.<String, SamplingRequested>as(REPARTITION_NAME)
                        .withKeySerde(Serdes.String()).withValueSerde(serdes.requestedInternal()))
                .process(() -> DecideProcessor.withCounters(evaluator, topics, clock, metrics, tracer),
                        Named.as("decide"),
                        ApprovalStores.COUNTER_STORES);
        KStream<String, Outcome> uncounted = paths.get("path-" + UNCOUNTED)
                .process(() -> DecideProcessor.withoutCounters(evaluator, topics, clock, metrics, tracer),
                        Named.as("decide-without-counters"));
        KStream<String, Outcome> outcomes = counted.merge(uncounted, Named.as("outcomes"));
        boolean budgets = policy.hasBudgets();
        builder.stream(topics.completions().name(), Consumed.with(Serdes.String(), serdes.completions())
                        .withName("completions"))
                .filter((requestId, completion) -> budgets && EventContexts.of(completion) != null,
                        Named.as("settles-budgets"))
                .selectKey((requestId, completion) -> partitioning.keyOf(EventContexts.of(completion)),
                        Named.as("key-completion-by-limit-scope"))
                .repartition(Repartitioned.<String, SpecificRecord>as(SETTLE_REPARTITION_NAME)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(ApprovalSerdes.underSubjectOf(serdes.completions(),
                                topics.completions().name())))
                .process(() -> new SettleUsageProcessor(clock, prices), Named.as("settle-usage"),
                        ApprovalStores.COUNTER_STORES);

        outcomes.mapValues(Outcome::decided, Named.as("decision"))
                .to(topics.decisions().name(), Produced.with(Serdes.String(), serdes.decided()).withName("decisions"));
        outcomes.filter((requestId, outcome) -> outcome.resolved() != null, Named.as("to-broker"))
                .mapValues(Outcome::resolved, Named.as("result"))
                .to(topics.results().name(), Produced.with(Serdes.String(), serdes.resolved()).withName("results"));
        return builder.build();
    }
}
