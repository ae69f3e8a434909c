package io.samplingbroker.schemas.topics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

import io.samplingbroker.events.HostKey;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;

/**
 * The one place that names the topics of the sampling flow, with their serdes and how they are created.
 *
 * <p>One topic per stage, so each service gets only the Kafka ACLs it needs; every event is keyed by request id so a
 * request's events stay ordered in one partition; event topics are retained (for ever by default) because they are
 * the audit history, and never compacted, which would delete it. Two topics hold state instead, compacted so that a
 * reader can load all of it: {@code reviews}, the current state of each human review (the decisions it records are
 * also on the retained topics, decisions and results, and the commands that made them on {@code review-commands}),
 * and {@code host-keys}, the API keys hosts authenticate with.
 *
 * <pre>
 * requests     SamplingRequested | SamplingRefused    broker -> approval-worker
 * decisions    SamplingDecided                        approval-worker -> model-worker
 * completions  SamplingCompleted | SamplingFailed     model-worker -> audit
 * results      SamplingResolved                       approval-worker, model-worker -> broker (reply routing)
 * lifecycle    SamplingDelivered | SamplingCancelled | SamplingExpired | SamplingAbandoned   broker -> workers
 * dead-letters raw bytes of records that could not be processed, with the reason in headers
 * review-commands  ReviewCommand                      review console -> approval-worker
 * reviews      ReviewItem (compacted)                 approval-worker -> review consoles
 * host-keys    HostKey (compacted)                    admin command -> brokers
 * </pre>
 */
public final class SamplingTopics {

    public static final String REQUESTS = "requests";
    public static final String DECISIONS = "decisions";
    public static final String COMPLETIONS = "completions";
    public static final String RESULTS = "results";
    public static final String LIFECYCLE = "lifecycle";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String REVIEW_COMMANDS = "review-commands";
    public static final String REVIEWS = "reviews";
    public static final String HOST_KEYS = "host-keys";
    public static final List<String> ROLES = List.of(REQUESTS, DECISIONS, COMPLETIONS, RESULTS, LIFECYCLE, DEAD_LETTERS,
            REVIEW_COMMANDS, REVIEWS, HOST_KEYS);

    /**
     * The value schema of the requests topic: a request as asked, or one the broker refused before the pipeline
     * (recorded so that every answer the broker gave has its request in the history).
     */
    public static final Schema REQUESTS_SCHEMA = Schema.createUnion(
            SamplingRequested.getClassSchema(), SamplingRefused.getClassSchema());
    /** The value schema of the completions topic: a model answered, or it failed. */
    public static final Schema COMPLETIONS_SCHEMA = Schema.createUnion(
            SamplingCompleted.getClassSchema(), SamplingFailed.getClassSchema());
    /** The value schema of the lifecycle topic. */
    public static final Schema LIFECYCLE_SCHEMA = Schema.createUnion(
            SamplingDelivered.getClassSchema(), SamplingCancelled.getClassSchema(),
            SamplingExpired.getClassSchema(), SamplingAbandoned.getClassSchema());

    private final TopicSpec<SpecificRecord> requests;
    private final TopicSpec<SamplingDecided> decisions;
    private final TopicSpec<SpecificRecord> completions;
    private final TopicSpec<SamplingResolved> results;
    private final TopicSpec<SpecificRecord> lifecycle;
    private final TopicSpec<byte[]> deadLetters;
    private final TopicSpec<ReviewCommand> reviewCommands;
    private final TopicSpec<ReviewItem> reviews;
    private final TopicSpec<HostKey> hostKeys;

    public SamplingTopics(TopicsConfig config) {
        requests = spec(config, REQUESTS, REQUESTS_SCHEMA, SpecificRecord.class);
        decisions = spec(config, DECISIONS, SamplingDecided.getClassSchema(), SamplingDecided.class);
        completions = spec(config, COMPLETIONS, COMPLETIONS_SCHEMA, SpecificRecord.class);
        results = spec(config, RESULTS, SamplingResolved.getClassSchema(), SamplingResolved.class);
        lifecycle = spec(config, LIFECYCLE, LIFECYCLE_SCHEMA, SpecificRecord.class);
        deadLetters = spec(config, DEAD_LETTERS, null, byte[].class);
        reviewCommands = spec(config, REVIEW_COMMANDS, ReviewCommand.getClassSchema(), ReviewCommand.class);
        reviews = spec(config, REVIEWS, ReviewItem.getClassSchema(), ReviewItem.class,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        // a handful of keys: one partition keeps a revocation behind the key's creation for every reader
        hostKeys = spec(config, HOST_KEYS, HostKey.getClassSchema(), HostKey.class,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), 1);
    }

    /** Values are {@link SamplingRequested} or {@link SamplingRefused}. */
    public TopicSpec<SpecificRecord> requests() {
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

    /** Reviewers' decisions from the review consoles, keyed by request id; retained like the event topics. */
    public TopicSpec<ReviewCommand> reviewCommands() {
        return reviewCommands;
    }

    /** The current state of each review, keyed by request id; compacted (a deleted review is a tombstone). */
    public TopicSpec<ReviewItem> reviews() {
        return reviews;
    }

    /** The API keys of machine hosts by key id; compacted, so the latest record of a key (revoked or not) is kept. */
    public TopicSpec<HostKey> hostKeys() {
        return hostKeys;
    }

    public List<TopicSpec<?>> all() {
        return List.of(requests, decisions, completions, results, lifecycle, deadLetters, reviewCommands, reviews,
                hostKeys);
    }

    private static <V> TopicSpec<V> spec(TopicsConfig config, String role, Schema schema, Class<V> type) {
        return spec(config, role, schema, type, Map.of());
    }

    private static <V> TopicSpec<V> spec(TopicsConfig config, String role, Schema schema, Class<V> type,
            Map<String, String> roleDefaults) {
        return spec(config, role, schema, type, roleDefaults, config.partitions());
    }

    private static <V> TopicSpec<V> spec(TopicsConfig config, String role, Schema schema, Class<V> type,
            Map<String, String> roleDefaults, int partitions) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.retentionMs()));
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        configs.putAll(roleDefaults);
        configs.putAll(config.topicConfigs().getOrDefault(role, Map.of()));
        return new TopicSpec<>(role, config.prefix() + role, schema, type, partitions,
                config.replicationFactor(), configs);
    }
}
