package io.samplingbroker.approvalworker.topology;

import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;

/**
 * The value serdes of the topology, passed in so that tests can run it without a schema registry.
 *
 * @param requested the requests topic (a union: requests, and the broker's records of those it refused)
 * @param requestedInternal the internal topic that regroups requests for the limit counters
 * @param lifecycle the lifecycle topic (a union: values are the event records)
 * @param completions the completions topic (a union: completions and failures), and the internal topic that regroups
 *     them for the token budgets (under the completions topic's subject)
 * @param decided the decisions topic
 * @param resolved the results topic
 */
public record ApprovalSerdes(Serde<SpecificRecord> requested, Serde<SamplingRequested> requestedInternal,
        Serde<SpecificRecord> lifecycle, Serde<SpecificRecord> completions, Serde<SamplingDecided> decided,
        Serde<SamplingResolved> resolved) {

    public ApprovalSerdes {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(requestedInternal, "requestedInternal");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(completions, "completions");
        Objects.requireNonNull(decided, "decided");
        Objects.requireNonNull(resolved, "resolved");
    }

    /** The topics' own registry serdes, sharing one registry client. */
    public static ApprovalSerdes fromRegistry(SamplingTopics topics, SchemaRegistryClient registry) {
        Serde<SpecificRecord> requested = topics.requests().valueSerde(registry);
        return new ApprovalSerdes(requested, underSubjectOf(requestsOnly(requested), topics.requests().name()),
                topics.lifecycle().valueSerde(registry), topics.completions().valueSerde(registry),
                topics.decisions().valueSerde(registry),
                topics.results().valueSerde(registry));
    }

    /** The requests topic's serde for a stream that only carries requests (the topology drops the refusals). */
    private static Serde<SamplingRequested> requestsOnly(Serde<SpecificRecord> requests) {
        Serializer<SamplingRequested> serializer = (topic, data) -> requests.serializer().serialize(topic, data);
        Deserializer<SamplingRequested> deserializer = (topic, data) ->
                (SamplingRequested) requests.deserializer().deserialize(topic, data);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * The internal topic carries the same records as the requests topic, so it writes them under that topic's
     * subject: no extra subject appears in the registry, and it works where {@code auto.register.schemas=false}
     * forbids registering one.
     */
    public static <T> Serde<T> underSubjectOf(Serde<T> topicSerde, String topic) {
        // Only the two-argument serialize: internal copies carry the original record's chain headers unchanged,
        // so the decision after the regrouping still follows the request as it was written.
        Serializer<T> serializer = (ignoredTopic, data) -> topicSerde.serializer().serialize(topic, data);
        Deserializer<T> deserializer = (ignoredTopic, data) -> topicSerde.deserializer().deserialize(topic, data);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
