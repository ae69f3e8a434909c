package io.samplingbroker.broker.delegation;

import java.time.Duration;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.vertx.core.json.JsonObject;

/**
 * The body of {@code POST /v1/sampling}, once the OpenAPI document has validated it, as the dispatcher takes it.
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

    /** What the document cannot say: no {@code task} in the params, no {@code ttlMs} over the broker's limit. */
    static ApiProblem check(JsonObject body, Duration longestTtl) {
        if (JsonMembers.objectOrEmpty(body, "params").containsKey("task")) {
            return ApiProblem.at("/params/task", "A delegated request is asynchronous by itself: leave out task and"
                    + " send Prefer: respond-async");
        }
        if (body.getValue("ttlMs") instanceof Number ttl && ttl.longValue() > longestTtl.toMillis()) {
            return ApiProblem.at("/ttlMs", "ttlMs " + ttl + " is more than this broker allows (" + longestTtl.toMillis()
                    + ", broker.sampling.task.max.ttl.ms)");
        }
        return null;
    }

    static DelegationBody of(JsonObject body, Duration defaultWait) {
        Duration waitFor = body.getValue("ttlMs") instanceof Number ttl ? Duration.ofMillis(ttl.longValue())
                : defaultWait;
        return new DelegationBody(JsonMembers.string(body, "server"), JsonMembers.objectOrEmpty(body, "params").encode(),
                waitFor, JsonMembers.string(body, "session"), JsonMembers.string(body, "protocolVersion"),
                JsonMembers.string(body, "triggeringCall"));
    }
}
