package io.samplingbroker.broker.mcp;

import io.vertx.core.json.JsonObject;

/**
 * Members of JSON a peer wrote, read by what they are: Vert.x's typed getters cast and throw
 * {@code ClassCastException} when a host or server sends another type ({@code "_meta": "x"}), which would end the
 * exchange with no answer that says why. Here a member of the wrong type reads as absent, for the caller to refuse or
 * to pass on as sent.
 */
public final class JsonMembers {

    private JsonMembers() {
    }

    /** The member if it is an object, else null (also when {@code parent} is null). */
    public static JsonObject object(JsonObject parent, String name) {
        return parent != null && parent.getValue(name) instanceof JsonObject object ? object : null;
    }

    /** The member if it is an object, else a new empty one. */
    public static JsonObject objectOrEmpty(JsonObject parent, String name) {
        JsonObject object = object(parent, name);
        return object == null ? new JsonObject() : object;
    }

    /** The member if it is a string, else null. */
    public static String string(JsonObject parent, String name) {
        return parent != null && parent.getValue(name) instanceof String text ? text : null;
    }
}
