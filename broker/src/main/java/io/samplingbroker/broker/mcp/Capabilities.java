package io.samplingbroker.broker.mcp;

import io.samplingbroker.events.HostSampling;
import io.vertx.core.json.JsonObject;

/** Client capabilities as the broker declares them to servers on a host's behalf. */
public final class Capabilities {

    private Capabilities() {
    }

    /**
     * What a host declared of {@code sampling} itself, before the broker adds it: null when it did not (then it cannot
     * be forwarded a request), else whether it declared {@code sampling.tools} and {@code sampling.context}.
     */
    public static HostSampling samplingOf(JsonObject capabilities) {
        if (capabilities == null || !(capabilities.getValue("sampling") instanceof JsonObject sampling)) {
            return null;
        }
        return new HostSampling(sampling.getValue("tools") instanceof JsonObject,
                sampling.getValue("context") instanceof JsonObject);
    }

    /** A copy of {@code capabilities} that also declares {@code sampling} with {@code sampling.tools}. */
    public static JsonObject withSampling(JsonObject capabilities) {
        JsonObject copy = capabilities == null ? new JsonObject() : capabilities.copy();
        JsonObject sampling = JsonMembers.objectOrEmpty(copy, "sampling");
        // The broker answers sampling for the host, tools included.
        sampling.put("tools", JsonMembers.objectOrEmpty(sampling, "tools"));
        return copy.put("sampling", sampling);
    }

    /**
     * A copy that also declares task-augmented sampling (2025-11-25, SEP-1686), with {@code tasks/list} and
     * {@code tasks/cancel}: the broker runs the tasks. What the host declared for its own tasks is kept.
     */
    public static JsonObject withSamplingTasks(JsonObject capabilities) {
        JsonObject copy = capabilities.copy();
        JsonObject tasks = JsonMembers.objectOrEmpty(copy, "tasks");
        tasks.put("list", JsonMembers.objectOrEmpty(tasks, "list"));
        tasks.put("cancel", JsonMembers.objectOrEmpty(tasks, "cancel"));
        JsonObject requests = JsonMembers.objectOrEmpty(tasks, "requests");
        JsonObject sampling = JsonMembers.objectOrEmpty(requests, "sampling");
        sampling.put("createMessage", JsonMembers.objectOrEmpty(sampling, "createMessage"));
        requests.put("sampling", sampling);
        tasks.put("requests", requests);
        return copy.put("tasks", tasks);
    }
}
