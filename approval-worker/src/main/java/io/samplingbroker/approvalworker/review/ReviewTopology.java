package io.samplingbroker.approvalworker.review;

import java.time.Clock;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;


import io.opentelemetry.api.trace.Tracer;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.schemas.topics.EventSerializer;
import io.samplingbroker.schemas.topics.ReviewMark;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;

/**
 * Human review as a Kafka Streams topology of its own (its own application id, next to the decision topology in the
 * same worker, because it reads the lifecycle topic as a stream while the decision topology reads it as a global
 * store, which one topology cannot do):
 *
 * <pre>
 * decisions (held; approved with reviewResponse) ───────┐
 * completions (those routed to review) ─────────────────┤
 * lifecycle (cancelled, expired, abandoned, delivered) ─┼──▶ review [store review-items, changelogged] ─┬─▶ reviews (compacted)
 * review-commands (from the consoles) ──────────────────┘        │ every second: expire, forget old    ├─▶ decisions (reviewer's)
 *                                                                                                      └─▶ results (denials, reviewed
 *                                                                                                          responses, their failures)
 * </pre>
 *
 * Completions are all decoded (the model-worker marks none: it knows nothing of review) and those whose reply route
 * does not go to review are dropped first thing; a completion is small next to the prompts decisions carry.
 */
public final class ReviewTopology {

    public static final String ITEMS_STORE = "review-items";
    static final String TO_REVIEWS = "to-reviews";
    static final String TO_DECISIONS = "to-decisions";
    static final String TO_RESULTS = "to-results";
    private static final String REVIEW = "review";

    private ReviewTopology() {
    }

    public static Topology build(SamplingTopics topics, ReviewSerdes serdes, Clock clock, ReviewQueueMetrics queue,
            Tracer tracer) {
        Topology topology = new Topology();
        StringDeserializer keys = new StringDeserializer();
        // Only marked decisions concern review; the others are skipped without being decoded.
        topology.addSource("decisions", keys, ReviewMark.onlyMarked(serdes.decided().deserializer()),
                topics.decisions().name());
        topology.addSource("completions", keys, serdes.completions().deserializer(), topics.completions().name());
        topology.addSource("lifecycle", keys, serdes.lifecycle().deserializer(), topics.lifecycle().name());
        topology.addSource("review-commands", keys, serdes.commands().deserializer(), topics.reviewCommands().name());
        topology.addProcessor(REVIEW, () -> new ReviewProcessor(topics, clock, queue, tracer), "decisions",
                "completions", "lifecycle",
                "review-commands");
        topology.addStateStore(itemsStore(serdes.itemsStore()), REVIEW);

        // The processor forwards plain objects to named sinks; one serializer writes each with its topic's own (and
        // the record's headers, where it stamps the tamper-evidence hash).
        StringSerializer keyOut = new StringSerializer();
        EventSerializer values = new EventSerializer(Service.APPROVAL_WORKER.id(), Map.of(
                topics.reviews().name(), serdes.items().serializer(),
                topics.decisions().name(), serdes.decided().serializer(),
                topics.results().name(), serdes.resolved().serializer()));
        topology.addSink(TO_REVIEWS, topics.reviews().name(), keyOut, values, REVIEW);
        topology.addSink(TO_DECISIONS, topics.decisions().name(), keyOut, values, REVIEW);
        topology.addSink(TO_RESULTS, topics.results().name(), keyOut, values, REVIEW);
        return topology;
    }

    private static StoreBuilder<KeyValueStore<String, ReviewItem>> itemsStore(Serde<ReviewItem> serde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEMS_STORE), Serdes.String(), serde)
                .withCachingDisabled();
    }
}
