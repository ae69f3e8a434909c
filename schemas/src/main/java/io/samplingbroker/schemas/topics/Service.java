package io.samplingbroker.schemas.topics;

import java.util.List;
import java.util.Set;

/**
 * The services of the sampling flow and the topics each reads and writes: the one table of who may write what.
 * Provisioning creates only a service's own topics and registers the schemas of those it writes; the Kafka ACLs of
 * a deployment follow the same table (schemas/README.md prints it, and a test keeps both the same); the system
 * tests record every topic each service's producers write and fail on one the table does not give it.
 *
 * <p>Topics are named by role ({@link SamplingTopics#ROLES}). Kafka Streams' own internal topics (repartition,
 * changelog: {@code <application.id>-...}) belong to the application that creates them and are not listed.
 */
public enum Service {

    /**
     * The MCP-facing gateway and stdio front: publishes requests; answers each from the completion routed to it, or
     * from the result the approval-worker wrote (a denial, a reviewed response); records how each request ended.
     * When the policy forwards a request to a host that samples itself, the broker is where the host's answer
     * enters the flow: it writes that answer to {@code completions} as a model-worker writes a model's, so response
     * review, delivery and the audit treat both alike. At start it reads back its own requests and their lifecycle to
     * end those an earlier run of the same instance held when it was killed.
     */
    BROKER("broker",
            Set.of(SamplingTopics.REQUESTS, SamplingTopics.COMPLETIONS, SamplingTopics.RESULTS, SamplingTopics.LIFECYCLE,
                    SamplingTopics.HOST_KEYS),
            Set.of(SamplingTopics.REQUESTS, SamplingTopics.COMPLETIONS, SamplingTopics.LIFECYCLE,
                    SamplingTopics.DEAD_LETTERS)),
    /**
     * Policy decisions, and human review. Reviewers' decisions on held requests are written to {@code decisions}
     * beside the policy's, not to a topic of their own, because the model-worker reads one decisions topic
     * partition-aligned with completions and lifecycle (its no-double-call design); the review topology skips them
     * undecoded (they carry no review mark). The approval-worker writes every {@code results} record: the policy's
     * and the reviewers' denials, and reviewed responses.
     */
    APPROVAL_WORKER("approval-worker",
            Set.of(SamplingTopics.REQUESTS, SamplingTopics.LIFECYCLE, SamplingTopics.DECISIONS,
                    SamplingTopics.COMPLETIONS, SamplingTopics.REVIEW_COMMANDS),
            Set.of(SamplingTopics.DECISIONS, SamplingTopics.RESULTS, SamplingTopics.REVIEWS,
                    SamplingTopics.DEAD_LETTERS)),
    /**
     * The reviewers' web page: reads reviews and the last hour's decisions and completions, writes commands (and sets
     * aside a review it cannot read).
     */
    REVIEW_CONSOLE("review-console",
            Set.of(SamplingTopics.REVIEWS, SamplingTopics.DECISIONS, SamplingTopics.COMPLETIONS),
            Set.of(SamplingTopics.REVIEW_COMMANDS, SamplingTopics.DEAD_LETTERS)),
    /** Calls the model for each approved decision and writes its outcome, nothing else. */
    MODEL_WORKER("model-worker",
            Set.of(SamplingTopics.DECISIONS, SamplingTopics.LIFECYCLE, SamplingTopics.COMPLETIONS),
            Set.of(SamplingTopics.COMPLETIONS, SamplingTopics.DEAD_LETTERS)),
    /**
     * The operator's command line ({@code sampling-admin}): issues and revokes the API keys machine hosts authenticate
     * with, which every broker instance reads.
     */
    ADMIN("admin",
            Set.of(SamplingTopics.HOST_KEYS),
            Set.of(SamplingTopics.HOST_KEYS));

    private final String id;
    private final Set<String> reads;
    private final Set<String> writes;

    Service(String id, Set<String> reads, Set<String> writes) {
        this.id = id;
        this.reads = reads;
        this.writes = writes;
    }

    /** The service's name in logs, client ids and the table ({@code model-worker}, ...). */
    public String id() {
        return id;
    }

    /** Roles of the topics it reads. */
    public Set<String> reads() {
        return reads;
    }

    /** Roles of the topics it may write. */
    public Set<String> writes() {
        return writes;
    }

    /** The topics it needs to exist: those it reads and those it writes. */
    public List<TopicSpec<?>> topics(SamplingTopics topics) {
        return topics.all().stream().filter(t -> reads.contains(t.role()) || writes.contains(t.role())).toList();
    }

    /** The topics it writes, whose value schemas it registers at start-up. */
    public List<TopicSpec<?>> written(SamplingTopics topics) {
        return topics.all().stream().filter(t -> writes.contains(t.role())).toList();
    }

    /** The services allowed to write a topic role. */
    public static List<Service> writersOf(String role) {
        return java.util.Arrays.stream(values()).filter(s -> s.writes.contains(role)).toList();
    }
}
