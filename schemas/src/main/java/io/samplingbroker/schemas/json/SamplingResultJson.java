package io.samplingbroker.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.mcp.CreateMessageResult;

/** The {@code sampling/createMessage} result to and from {@link CreateMessageResult}, losing nothing. */
public final class SamplingResultJson {

    private SamplingResultJson() {
    }

    public static CreateMessageResult fromJson(JsonNode result) {
        TrackedObject in = TrackedObject.of(result, "");
        CreateMessageResult.Builder out = CreateMessageResult.newBuilder()
                .setRole(SamplingParamsJson.readRole(in));
        ContentBlocksJson.Blocks content = ContentBlocksJson.readContent(in.required("content"), "/content");
        return out.setContent(content.blocks())
                .setContentShape(content.shape())
                .setModel(in.requiredString("model"))
                .setStopReason(in.optionalString("stopReason"))
                .setMeta(in.optionalJsonText("_meta"))
                .setExtra(in.extra())
                .build();
    }

    public static ObjectNode toJson(CreateMessageResult result) {
        ObjectNode out = McpJson.object();
        out.put("role", result.getRole().name());
        out.set("content", ContentBlocksJson.writeContent(result.getContent(), result.getContentShape()));
        out.put("model", result.getModel());
        McpJson.putIfPresent(out, "stopReason", result.getStopReason());
        McpJson.putJson(out, "_meta", result.getMeta());
        McpJson.mergeExtra(out, result.getExtra());
        return out;
    }
}
