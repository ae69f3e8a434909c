package io.samplingbroker.approvalworker.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.samplingbroker.approvalworker.policy.Policy;
import io.samplingbroker.approvalworker.policy.PolicyLoader;
import io.samplingbroker.approvalworker.testing.StreamsTestState;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.testing.MutableClock;
import io.samplingbroker.schemas.testing.PlainAvroSerde;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.serviceruntime.spend.PriceFile;
import io.samplingbroker.serviceruntime.tracing.ServiceTracing;

/** The approval topology in a {@code TopologyTestDriver}, with a policy given as YAML text and a hand-moved clock. */
final class ApprovalHarness implements AutoCloseable {

    static final SamplingTopics TOPICS = new SamplingTopics(TopicsConfig.defaults());

    final MutableClock clock = new MutableClock(Requests.T0.plusMillis(10));
    /** What the topology recorded. */
    final ServiceMetrics metrics = ServiceMetrics.create(Service.APPROVAL_WORKER);
    /** The spans it ended. */
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final ServiceTracing tracing = ServiceTracing.exportingTo(Service.APPROVAL_WORKER, spans);
    private final StreamsTestState state;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SpecificRecord> requests;
    private final TestInputTopic<String, SpecificRecord> lifecycle;
    private final TestInputTopic<String, SpecificRecord> completions;
    private final TestOutputTopic<String, SamplingDecided> decisions;
    private final TestOutputTopic<String, SamplingResolved> results;

    private ApprovalHarness(String policyYaml, PriceCatalogue prices) {
        PlainAvroSerde<SpecificRecord> requested = new PlainAvroSerde<>(SamplingTopics.REQUESTS_SCHEMA);
        PlainAvroSerde<SamplingRequested> requestedInternal = new PlainAvroSerde<>(SamplingRequested.getClassSchema());
        PlainAvroSerde<SpecificRecord> lifecycleSerde = new PlainAvroSerde<>(SamplingTopics.LIFECYCLE_SCHEMA);
        PlainAvroSerde<SamplingDecided> decided = new PlainAvroSerde<>(SamplingDecided.getClassSchema());
        PlainAvroSerde<SamplingResolved> resolved = new PlainAvroSerde<>(SamplingResolved.getClassSchema());
        PlainAvroSerde<SpecificRecord> completionsSerde = new PlainAvroSerde<>(SamplingTopics.COMPLETIONS_SCHEMA);
        ApprovalSerdes serdes = new ApprovalSerdes(requested, requestedInternal, lifecycleSerde, completionsSerde,
                decided, resolved);
        state = new StreamsTestState("driver");
        Properties properties = state.properties("approval-topology-test");
        Policy policy = PolicyLoader.parse(policyYaml, "test-policy.yaml");
        driver = new TopologyTestDriver(ApprovalTopology.build(policy, prices, TOPICS, serdes, clock,
                new DecisionMetrics(metrics, policy), tracing.tracer()), properties, Requests.T0);
        requests = driver.createInputTopic(TOPICS.requests().name(), Serdes.String().serializer(), requested.serializer());
        lifecycle = driver.createInputTopic(TOPICS.lifecycle().name(), Serdes.String().serializer(),
                lifecycleSerde.serializer());
        completions = driver.createInputTopic(TOPICS.completions().name(), Serdes.String().serializer(),
                completionsSerde.serializer());
        decisions = driver.createOutputTopic(TOPICS.decisions().name(), Serdes.String().deserializer(),
                decided.deserializer());
        results = driver.createOutputTopic(TOPICS.results().name(), Serdes.String().deserializer(),
                resolved.deserializer());
    }

    static ApprovalHarness withPolicy(String policyYaml) {
        return new ApprovalHarness(policyYaml, PriceCatalogue.none());
    }

    /** A policy whose cost budgets price requests with {@code pricesYaml}. */
    static ApprovalHarness withPolicy(String policyYaml, String pricesYaml) {
        return new ApprovalHarness(policyYaml, PriceFile.parse("test-prices.yaml", pricesYaml));
    }

    void send(SamplingRequested request) {
        send(request, new RecordHeaders());
    }

    /** A request written with these headers (the broker's trace context, for example). */
    void send(SamplingRequested request, Headers headers) {
        requests.pipeInput(new TestRecord<>(request.getContext().getRequestId(), request, headers,
                request.getContext().getRequestedAt()));
    }

    /** A request the broker refused itself, as it records it on the requests topic. */
    void sendRefused(SamplingRefused refused) {
        requests.pipeInput(refused.getContext().getRequestId(), refused);
    }

    /** A completion or failure of the model-worker (or of a host), as the completions topic carries it. */
    void sendCompletion(SpecificRecord event, String requestId) {
        completions.pipeInput(requestId, event);
    }

    /** Runs the wall-clock punctuations (the settling of reservations of requests that ended without an outcome). */
    void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    void sendLifecycle(SpecificRecord event, String requestId) {
        lifecycle.pipeInput(requestId, event);
    }

    /** Sends a request and returns its one decision. */
    SamplingDecided decide(SamplingRequested request) {
        send(request);
        List<TestRecord<String, SamplingDecided>> out = decisions.readRecordsToList();
        assertThat(out).as("decisions for %s", request.getContext().getRequestId()).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(request.getContext().getRequestId());
        return out.get(0).value();
    }

    List<TestRecord<String, SamplingDecided>> decisionRecords() {
        return decisions.readRecordsToList();
    }

    /** Whether anything was written to the internal topic that regroups requests by limit scope. */
    boolean regroupedAny() {
        return driver.producedTopicNames().stream().anyMatch(name -> name.contains(ApprovalTopology.REPARTITION_NAME));
    }

    List<TestRecord<String, SamplingResolved>> resultRecords() {
        return results.readRecordsToList();
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            state.close();
            metrics.close();
            tracing.close();
        }
    }
}
