package io.samplingbroker.audit.output;

import java.io.PrintStream;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.audit.timeline.AttemptView;
import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.Timeline;

/** One JSON object per request and line, every event included; absent facts are left out rather than null. */
public final class JsonLinesWriter implements Consumer<Timeline> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    public JsonLinesWriter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(Timeline timeline) {
        out.println(toJson(timeline).toString());
    }

    public static ObjectNode toJson(Timeline timeline) {
        ObjectNode node = JSON.createObjectNode();
        node.put("requestId", timeline.requestId());
        put(node, "traceId", timeline.traceId());
        put(node, "host", timeline.host());
        put(node, "tenant", timeline.tenant());
        put(node, "server", timeline.server());
        put(node, "session", timeline.session());
        put(node, "requestedAt", timeline.requestedAt() == null ? null : timeline.requestedAt().toString());
        put(node, "deadline", timeline.deadline() == null ? null : timeline.deadline().toString());
        node.put("outcome", timeline.outcome().label());
        timeline.models().forEach(node.putArray("models")::add);
        timeline.reviewers().forEach(node.putArray("reviewers")::add);
        node.put("inputTokens", timeline.inputTokens());
        node.put("outputTokens", timeline.outputTokens());
        long latency = timeline.deliveryLatencyMillis();
        if (latency >= 0) {
            node.put("latencyMs", latency);
        }
        ArrayNode events = node.putArray("events");
        for (AuditEvent event : timeline.events()) {
            events.add(toJson(event));
        }
        return node;
    }

    static ObjectNode toJson(AuditEvent event) {
        ObjectNode node = JSON.createObjectNode();
        put(node, "time", event.occurredAt() == null ? null : event.occurredAt().toString());
        node.put("type", event.type().label());
        put(node, "actorKind", event.actorKind());
        put(node, "actor", event.actor());
        put(node, "decision", event.decision());
        put(node, "reason", event.reason());
        if (!event.changes().isEmpty()) {
            event.changes().forEach(node.putArray("changes")::add);
        }
        put(node, "errorCode", event.errorCode());
        put(node, "failureCode", event.failureCode());
        put(node, "model", event.model());
        put(node, "inputTokens", event.inputTokens());
        put(node, "outputTokens", event.outputTokens());
        put(node, "cachedInputTokens", event.cachedInputTokens());
        put(node, "providerLatencyMs", event.latencyMillis());
        put(node, "messages", event.messages());
        put(node, "promptChars", event.promptChars());
        put(node, "maxTokens", event.maxTokens());
        put(node, "completionChars", event.completionChars());
        put(node, "content", event.content());
        if (!event.attempts().isEmpty()) {
            ArrayNode attempts = node.putArray("attempts");
            for (AttemptView attempt : event.attempts()) {
                ObjectNode each = attempts.addObject();
                each.put("provider", attempt.provider());
                each.put("model", attempt.model());
                put(each, "startedAt", attempt.startedAt() == null ? null : attempt.startedAt().toString());
                each.put("latencyMs", attempt.latencyMillis());
                put(each, "errorCode", attempt.errorCode());
                put(each, "httpStatus", attempt.httpStatus());
            }
        }
        if (event.routedToReview()) {
            node.put("routedToReview", true);
        }
        node.put("topic", event.topic());
        node.put("partition", event.partition());
        node.put("offset", event.offset());
        return node;
    }

    private static void put(ObjectNode node, String name, Object value) {
        if (value instanceof String text) {
            node.put(name, text);
        } else if (value instanceof Integer number) {
            node.put(name, number);
        } else if (value instanceof Long number) {
            node.put(name, number);
        }
    }
}
