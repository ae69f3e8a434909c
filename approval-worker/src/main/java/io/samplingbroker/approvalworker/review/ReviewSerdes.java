package io.samplingbroker.approvalworker.review;

import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

import io.samplingbroker.approvalworker.topology.ApprovalSerdes;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;

/**
 * The value serdes of the review topology, passed in so that tests can run it without a schema registry.
 *
 * @param decided the decisions topic (held requests in, reviewers' decisions out)
 * @param completions the completions topic (a union: values are the event records)
 * @param lifecycle the lifecycle topic (a union)
 * @param commands the review-commands topic
 * @param items the reviews topic
 * @param itemsStore the store's changelog (the same records as the reviews topic)
 * @param resolved the results topic
 */
public record ReviewSerdes(Serde<SamplingDecided> decided, Serde<SpecificRecord> completions,
        Serde<SpecificRecord> lifecycle, Serde<ReviewCommand> commands, Serde<ReviewItem> items,
        Serde<ReviewItem> itemsStore, Serde<SamplingResolved> resolved) {

    public ReviewSerdes {
        Objects.requireNonNull(decided, "decided");
        Objects.requireNonNull(completions, "completions");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(itemsStore, "itemsStore");
        Objects.requireNonNull(resolved, "resolved");
    }

    /** The topics' own registry serdes; the store's changelog writes under the reviews topic's subject. */
    public static ReviewSerdes fromRegistry(SamplingTopics topics, SchemaRegistryClient registry) {
        Serde<ReviewItem> items = topics.reviews().valueSerde(registry);
        return new ReviewSerdes(topics.decisions().valueSerde(registry), topics.completions().valueSerde(registry),
                topics.lifecycle().valueSerde(registry), topics.reviewCommands().valueSerde(registry), items,
                ApprovalSerdes.underSubjectOf(items, topics.reviews().name()), topics.results().valueSerde(registry));
    }
}
