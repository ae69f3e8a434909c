package io.samplingbroker.schemas.topics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;

/**
 * The one place that names the topics of the sampling flow, with their serdes and how they are created.
 *
 * <p>One topic per stage, so each service gets only the Kafka ACLs it needs; every event is keyed by request id so a
 * request's events stay ordered in one partition; event topics are retained (for ever by default) because they are
 * the audit history, and never compacted, which would delete it.
 *
 * <pre>
 * requests     SamplingRequested                      broker -> approval-worker
 * decisions    SamplingDecided                        approval-worker -> model-worker
 * completions  SamplingCompleted | SamplingFailed     model-worker -> audit
 * results      SamplingResolved                       approval-worker, model-worker -> broker (reply routing)
 * lifecycle    SamplingDelivered | SamplingCancelled | SamplingExpired | SamplingAbandoned   broker -> workers
 * dead-letters raw bytes of records that could not be processed, with the reason in headers
 * </pre>
 */
public final class SamplingTopics {

    public static final String REQUESTS = "requests";
    public static final String DECISIONS = "decisions";
    public static final String COMPLETIONS = "completions";
    public static final String RESULTS = "results";
    public static final String LIFECYCLE = "lifecycle";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final List<String> ROLES = List.of(REQUESTS, DECISIONS, COMPLETIONS, RESULTS, LIFECYCLE, DEAD_LETTERS);

    /** The value schema of the completions topic: a model answered, or it failed. */
    public static final Schema COMPLETIONS_SCHEMA = Schema.createUnion(
            SamplingCompleted.getClassSchema(), SamplingFailed.getClassSchema());
    /** The value schema of the lifecycle topic. */
    public static final Schema LIFECYCLE_SCHEMA = Schema.createUnion(
            SamplingDelivered.getClassSchema(), SamplingCancelled.getClassSchema(),
            SamplingExpired.getClassSchema(), SamplingAbandoned.getClassSchema());

    private final TopicSpec<SamplingRequested> requests;
    private final TopicSpec<SamplingDecided> decisions;
    private final TopicSpec<SpecificRecord> completions;
    private final TopicSpec<SamplingResolved> results;
    private final TopicSpec<SpecificRecord> lifecycle;
    private final TopicSpec<byte[]> deadLetters;

    public SamplingTopics(TopicsConfig config) {
        requests = spec(config, REQUESTS, SamplingRequested.getClassSchema(), SamplingRequested.class);
        decisions = spec(config, DECISIONS, SamplingDecided.getClassSchema(), SamplingDecided.class);
        completions = spec(config, COMPLETIONS, COMPLETIONS_SCHEMA, SpecificRecord.class);
        results = spec(config, RESULTS, SamplingResolved.getClassSchema(), SamplingResolved.class);
        lifecycle = spec(config, LIFECYCLE, LIFECYCLE_SCHEMA, SpecificRecord.class);
        deadLetters = spec(config, DEAD_LETTERS, null, byte[].class);
    }

    public TopicSpec<SamplingRequested> requests() {
        return requests;
    }

    public TopicSpec<SamplingDecided> decisions() {
        return decisions;
    }

    /** Values are {@link SamplingCompleted} or {@link SamplingFailed}. */
    public TopicSpec<SpecificRecord> completions() {
        return completions;
    }

    public TopicSpec<SamplingResolved> results() {
        return results;
    }

    /** Values are {@link SamplingDelivered}, {@link SamplingCancelled}, {@link SamplingExpired} or {@link SamplingAbandoned}. */
    public TopicSpec<SpecificRecord> lifecycle() {
        return lifecycle;
    }

    public TopicSpec<byte[]> deadLetters() {
        return deadLetters;
    }

    public List<TopicSpec<?>> all() {
        return List.of(requests, decisions, completions, results, lifecycle, deadLetters);
    }

    private static <V> TopicSpec<V> spec(TopicsConfig config, String role, Schema schema, Class<V> type) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.retentionMs()));
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        configs.putAll(config.topicConfigs().getOrDefault(role, Map.of()));
        return new TopicSpec<>(role, config.prefix() + role, schema, type, config.partitions(),
                config.replicationFactor(), configs);
    }
}
