package io.samplingbroker.audit.timeline;

import java.time.Instant;
import java.util.List;

/**
 * One event of a request's timeline, reduced to what an auditor reads: where it is (topic, partition, offset), when,
 * what, who acted, and sizes. Payloads (prompts, completions) are not kept, only their sizes, unless the user asked
 * for content; so a timeline stays small however large the prompts were.
 */
public final class AuditEvent {

    private final EventType type;
    private final String topic;
    private final int partition;
    private final long offset;
    private final long timestamp;
    private final Instant occurredAt;
    private String actorKind;
    private String actor;
    private String decision;
    private String reason;
    private List<String> changes = List.of();
    private Integer errorCode;
    private String failureCode;
    private String model;
    private Long inputTokens;
    private Long outputTokens;
    private Long cachedInputTokens;
    private Long latencyMillis;
    private Integer messages;
    private Long promptChars;
    private Long maxTokens;
    private Long completionChars;
    private String content;
    private boolean routedToReview;
    private Integer failureAnswerCode;
    private List<AttemptView> attempts = List.of();

    public AuditEvent(EventType type, String topic, int partition, long offset, long timestamp, Instant occurredAt) {
        this.type = type;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.occurredAt = occurredAt;
    }

    public AuditEvent actor(String kind, String name) {
        this.actorKind = kind;
        this.actor = name;
        return this;
    }

    public AuditEvent decision(String value) {
        this.decision = value;
        return this;
    }

    public AuditEvent reason(String value) {
        this.reason = value;
        return this;
    }

    public AuditEvent changes(List<String> value) {
        this.changes = value == null ? List.of() : List.copyOf(value);
        return this;
    }

    public AuditEvent errorCode(Integer value) {
        this.errorCode = value;
        return this;
    }

    public AuditEvent failureCode(String value) {
        this.failureCode = value;
        return this;
    }

    public AuditEvent model(String value) {
        this.model = value;
        return this;
    }

    public AuditEvent tokens(Long input, Long output) {
        this.inputTokens = input;
        this.outputTokens = output;
        return this;
    }

    /** Of the input tokens, those read from the provider's prompt cache. */
    public AuditEvent cachedInputTokens(Long value) {
        this.cachedInputTokens = value;
        return this;
    }

    public AuditEvent latencyMillis(Long value) {
        this.latencyMillis = value;
        return this;
    }

    public AuditEvent promptSize(int messageCount, long chars, long maxTokensAsked) {
        this.messages = messageCount;
        this.promptChars = chars;
        this.maxTokens = maxTokensAsked;
        return this;
    }

    public AuditEvent completionChars(Long value) {
        this.completionChars = value;
        return this;
    }

    public AuditEvent content(String value) {
        this.content = value;
        return this;
    }

    /** For a completion or failure: every provider attempt made, retries and fallbacks, in order. */
    public AuditEvent attempts(List<AttemptView> value) {
        this.attempts = List.copyOf(value);
        return this;
    }

    /** For a failure: the JSON-RPC code the server gets for it (checked, not printed). */
    public AuditEvent failureAnswerCode(Integer value) {
        this.failureAnswerCode = value;
        return this;
    }

    /** Marks a completion or failure whose context routes the answer to human review, not to the broker. */
    public AuditEvent routedToReview(boolean value) {
        this.routedToReview = value;
        return this;
    }

    public EventType type() {
        return type;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The Kafka record timestamp (CreateTime), the order of the replay. */
    public long timestamp() {
        return timestamp;
    }

    /** The event's own {@code occurredAt} (for a review command, {@code submittedAt}). */
    public Instant occurredAt() {
        return occurredAt;
    }

    public String actorKind() {
        return actorKind;
    }

    public String actor() {
        return actor;
    }

    public String decision() {
        return decision;
    }

    public String reason() {
        return reason;
    }

    public List<String> changes() {
        return changes;
    }

    public Integer errorCode() {
        return errorCode;
    }

    public String failureCode() {
        return failureCode;
    }

    public String model() {
        return model;
    }

    public Long inputTokens() {
        return inputTokens;
    }

    public Long outputTokens() {
        return outputTokens;
    }

    public Long cachedInputTokens() {
        return cachedInputTokens;
    }

    /** The catalogue model that answered: the last attempt's when it answered, else the model the result names. */
    public String answeringModel() {
        AttemptView last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        return last != null && last.errorCode() == null ? last.model() : model;
    }

    public Long latencyMillis() {
        return latencyMillis;
    }

    public Integer messages() {
        return messages;
    }

    public Long promptChars() {
        return promptChars;
    }

    public Long maxTokens() {
        return maxTokens;
    }

    public Long completionChars() {
        return completionChars;
    }

    public String content() {
        return content;
    }

    public List<AttemptView> attempts() {
        return attempts;
    }

    /**
     * Whether the event's context routes the request's answer to human review ({@code replyRoute.replyTopic} is the
     * reviews topic): then the broker must not deliver this completion; a reviewer's result on {@code results} is
     * the answer. False for every other event, and for history written before answers were routed so.
     */
    public Integer failureAnswerCode() {
        return failureAnswerCode;
    }

    public boolean routedToReview() {
        return routedToReview;
    }

    /** Where the record is, for reports: {@code topic[partition]@offset}. */
    public String location() {
        return topic + "[" + partition + "]@" + offset;
    }

    @Override
    public String toString() {
        return type.label() + " at " + location();
    }
}
