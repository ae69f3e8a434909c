package io.samplingbroker.broker.mcp;

import io.vertx.core.json.JsonObject;

/** Client capabilities as the broker declares them to servers on a host's behalf. */
public final class Capabilities {

    private Capabilities() {
    }

    /** A copy of {@code capabilities} that also declares {@code sampling} with {@code sampling.tools}. */
    public static JsonObject withSampling(JsonObject capabilities) {
        JsonObject copy = capabilities == null ? new JsonObject() : capabilities.copy();
        JsonObject sampling = copy.getJsonObject("sampling", new JsonObject());
        // The broker answers sampling for the host, tools included.
        sampling.put("tools", sampling.getJsonObject("tools", new JsonObject()));
        return copy.put("sampling", sampling);
    }

    /**
     * A copy that also declares task-augmented sampling (2025-11-25, SEP-1686), with {@code tasks/list} and
     * {@code tasks/cancel}: the broker runs the tasks. What the host declared for its own tasks is kept.
     */
    public static JsonObject withSamplingTasks(JsonObject capabilities) {
        JsonObject copy = capabilities.copy();
        JsonObject tasks = copy.getJsonObject("tasks", new JsonObject());
        tasks.put("list", tasks.getJsonObject("list", new JsonObject()));
        tasks.put("cancel", tasks.getJsonObject("cancel", new JsonObject()));
        JsonObject requests = tasks.getJsonObject("requests", new JsonObject());
        JsonObject sampling = requests.getJsonObject("sampling", new JsonObject());
        sampling.put("createMessage", sampling.getJsonObject("createMessage", new JsonObject()));
        requests.put("sampling", sampling);
        tasks.put("requests", requests);
        return copy.put("tasks", tasks);
    }
}
