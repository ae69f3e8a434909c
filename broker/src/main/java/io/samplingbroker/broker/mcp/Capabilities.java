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
}
