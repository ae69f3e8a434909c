package io.samplingbroker.broker.delegation;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.vertx.core.json.JsonObject;

/**
 * The body of {@code POST /v1/sampling}, once the OpenAPI document has validated it, as the dispatcher takes it.
 *
 * <p>The document's validation reads the body with Vert.x, which also takes comments and reads numbers as doubles or
 * unbounded integers; the body is read again as RFC 8259 JSON with exact numbers ({@link McpJson}), and the params and
 * {@code ttlMs} come from that reading, so the params travel as the host wrote them, as on {@code /mcp}.
 *
 * @param server the upstream server the request is made for
 * @param paramsJson the {@code sampling/createMessage} params, as JSON text
 * @param waitFor how long the broker works on it: {@code ttlMs}, else the default deadline
 * @param session the host's own name for a group of requests, or null
 * @param protocolVersion the MCP revision the host speaks, or null
 * @param triggeringCall the host's call the request serves, or null
 */
record DelegationBody(String server, String paramsJson, Duration waitFor, String session, String protocolVersion,
        String triggeringCall) {

    /**
     * The body as RFC 8259 has it, numbers exact.
     *
     * @throws InvalidSamplingJsonException when it is not (a comment, for one), naming the reason
     */
    static JsonNode exact(String text) {
        return McpJson.parse(text);
    }

    /** What the document cannot say: no {@code task} in the params, no {@code ttlMs} over the broker's limit. */
    static ApiProblem check(JsonNode exact, Duration longestTtl) {
        if (exact.path("params").has("task")) {
            return ApiProblem.at("/params/task", "A delegated request is asynchronous by itself: leave out task and"
                    + " send Prefer: respond-async");
        }
        JsonNode ttl = exact.path("ttlMs");
        if (ttl.isNumber() && (!ttl.canConvertToLong() || ttl.longValue() > longestTtl.toMillis())) {
            // a number past a long must not wrap into a short (or negative) wait
            return ApiProblem.at("/ttlMs", "ttlMs " + (ttl.canConvertToLong() ? ttl.longValue() : "past 2^63")
                    + " is more than this broker allows (" + longestTtl.toMillis()
                    + ", broker.sampling.task.max.ttl.ms)");
        }
        return null;
    }

    /** The request from a body that {@link #check} passed, as validated ({@code body}) and as read ({@code exact}). */
    static DelegationBody of(JsonObject body, JsonNode exact, Duration defaultWait) {
        JsonNode ttl = exact.path("ttlMs");
        Duration waitFor = ttl.isNumber() ? Duration.ofMillis(ttl.longValue()) : defaultWait;
        JsonNode params = exact.path("params");
        return new DelegationBody(JsonMembers.string(body, "server"), params.isObject() ? McpJson.write(params) : "{}",
                waitFor, JsonMembers.string(body, "session"), JsonMembers.string(body, "protocolVersion"),
                JsonMembers.string(body, "triggeringCall"));
    }
}
