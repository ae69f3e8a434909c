package io.samplingbroker.approvalworker.review;

import java.time.Clock;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.schemas.topics.ReviewMark;
import io.samplingbroker.schemas.topics.SamplingTopics;

/**
 * Human review as a Kafka Streams topology of its own (its own application id, next to the decision topology in the
 * same worker, because it reads the lifecycle topic as a stream while the decision topology reads it as a global
 * store, which one topology cannot do):
 *
 * <pre>
 * decisions (held; approved with reviewResponse) ───────┐
 * completions ──────────────────────────────────────────┤
 * lifecycle (cancelled, expired, abandoned, delivered) ─┼──▶ review [store review-items, changelogged] ─┬─▶ reviews (compacted)
 * review-commands (from the consoles) ──────────────────┘        │ every second: expire, forget old    ├─▶ decisions (reviewer's)
 *                                                                                                      ├─▶ results (denials, reviewed responses)
 *                                                                                                      └─▶ lifecycle (expired here)
 * </pre>
 */
public final class ReviewTopology {

    public static final String ITEMS_STORE = "review-items";
    static final String TO_REVIEWS = "to-reviews";
    static final String TO_DECISIONS = "to-decisions";
    static final String TO_RESULTS = "to-results";
    static final String TO_LIFECYCLE = "to-lifecycle";
    private static final String REVIEW = "review";

    private ReviewTopology() {
    }

    public static Topology build(SamplingTopics topics, ReviewSerdes serdes, Clock clock) {
        Topology topology = new Topology();
        StringDeserializer keys = new StringDeserializer();
        // Only marked decisions and completions concern review; the others are skipped without being decoded.
        topology.addSource("decisions", keys, ReviewMark.onlyMarked(serdes.decided().deserializer()),
                topics.decisions().name());
        topology.addSource("completions", keys, ReviewMark.onlyMarked(serdes.completions().deserializer()),
                topics.completions().name());
        topology.addSource("lifecycle", keys, serdes.lifecycle().deserializer(), topics.lifecycle().name());
        topology.addSource("review-commands", keys, serdes.commands().deserializer(), topics.reviewCommands().name());
        topology.addProcessor(REVIEW, () -> new ReviewProcessor(clock), "decisions", "completions", "lifecycle",
                "review-commands");
        topology.addStateStore(itemsStore(serdes.itemsStore()), REVIEW);

        StringSerializer keyOut = new StringSerializer();
        topology.addSink(TO_REVIEWS, topics.reviews().name(), keyOut, anyValue(serdes.items()), REVIEW);
        topology.addSink(TO_DECISIONS, topics.decisions().name(), keyOut, anyValue(serdes.decided()), REVIEW);
        topology.addSink(TO_RESULTS, topics.results().name(), keyOut, anyValue(serdes.resolved()), REVIEW);
        topology.addSink(TO_LIFECYCLE, topics.lifecycle().name(), keyOut, anyValue(serdes.lifecycle()), REVIEW);
        return topology;
    }

    private static StoreBuilder<KeyValueStore<String, ReviewItem>> itemsStore(Serde<ReviewItem> serde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEMS_STORE), Serdes.String(), serde)
                .withCachingDisabled();
    }

    /**
     * The processor forwards plain objects to named sinks; each sink's serializer gets only its own type, with the
     * record's headers (where the serializer stamps the tamper-evidence hash).
     */
    @SuppressWarnings("unchecked")
    private static <T> Serializer<Object> anyValue(Serde<T> serde) {
        Serializer<T> serializer = serde.serializer();
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, Object value) {
                return serializer.serialize(topic, (T) value);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, Object value) {
                return serializer.serialize(topic, headers, (T) value);
            }
        };
    }
}
