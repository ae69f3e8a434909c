package io.samplingbroker.schemas.json;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;

/**
 * MCP content blocks to and from their Avro records. Known types are typed; any other type (resource links,
 * embedded resources, types of later revisions) is kept whole as {@link OtherContent}.
 */
final class ContentBlocksJson {

    static final String TEXT = "text";
    static final String IMAGE = "image";
    static final String AUDIO = "audio";
    static final String TOOL_USE = "tool_use";
    static final String TOOL_RESULT = "tool_result";

    private ContentBlocksJson() {
    }

    /** Content given as one block or an array of blocks. */
    record Blocks(List<Object> blocks, ContentShape shape) {
    }

    static Blocks readContent(JsonNode content, String pointer) {
        if (content.isArray()) {
            List<Object> blocks = new ArrayList<>(content.size());
            for (int i = 0; i < content.size(); i++) {
                blocks.add(readBlock(content.get(i), pointer + "/" + i, true));
            }
            return new Blocks(blocks, ContentShape.ARRAY);
        }
        return new Blocks(List.of(readBlock(content, pointer, true)), ContentShape.SINGLE);
    }

    static JsonNode writeContent(List<Object> blocks, ContentShape shape) {
        if (shape == ContentShape.SINGLE && blocks.size() == 1) {
            return writeBlock(blocks.get(0));
        }
        ArrayNode array = McpJson.MAPPER.createArrayNode();
        blocks.forEach(block -> array.add(writeBlock(block)));
        return array;
    }

    /**
     * @param allowToolBlocks tool_use and tool_result may appear in messages, not nested inside a tool_result
     */
    static Object readBlock(JsonNode node, String pointer, boolean allowToolBlocks) {
        TrackedObject block = TrackedObject.of(node, pointer);
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new InvalidSamplingJsonException(block.childPointer("type"), "a content block needs a string type");
        }
        // an unknown type is kept as an Avro string beside the block's JSON, so it must be Unicode text too
        String type = TrackedObject.asString(typeNode, block.childPointer("type"));
        switch (type) {
            case TEXT -> {
                block.optional("type");
                return new TextContent(block.requiredString("text"), block.optionalJsonText("annotations"),
                        block.optionalJsonText("_meta"), block.extra());
            }
            case IMAGE -> {
                block.optional("type");
                return new ImageContent(base64Data(block), block.requiredString("mimeType"),
                        block.optionalJsonText("annotations"), block.optionalJsonText("_meta"), block.extra());
            }
            case AUDIO -> {
                block.optional("type");
                return new AudioContent(base64Data(block), block.requiredString("mimeType"),
                        block.optionalJsonText("annotations"), block.optionalJsonText("_meta"), block.extra());
            }
            case TOOL_USE -> {
                if (!allowToolBlocks) {
                    return other(type, node);
                }
                block.optional("type");
                return new ToolUseContent(block.requiredString("id"), block.requiredString("name"),
                        block.requiredObjectText("input"), block.optionalJsonText("_meta"), block.extra());
            }
            case TOOL_RESULT -> {
                if (!allowToolBlocks) {
                    return other(type, node);
                }
                return readToolResult(block);
            }
            default -> {
                return other(type, node);
            }
        }
    }

    /** The {@code data} of an image or audio block: MCP {@code format: byte}, padded standard base64. */
    private static String base64Data(TrackedObject block) {
        String data = block.requiredString("data");
        Base64Text.require(data, block.childPointer("data"));
        return data;
    }

    private static OtherContent other(String type, JsonNode node) {
        return new OtherContent(type, McpJson.write(node));
    }

    private static ToolResultContent readToolResult(TrackedObject block) {
        block.optional("type");
        String toolUseId = block.requiredString("toolUseId");
        List<Object> nested = new ArrayList<>();
        JsonNode content = block.optional("content");
        if (content != null) {
            if (!content.isArray()) {
                throw new InvalidSamplingJsonException(block.childPointer("content"),
                        "tool_result content must be an array of content blocks");
            }
            for (int i = 0; i < content.size(); i++) {
                nested.add(readBlock(content.get(i), block.childPointer("content") + "/" + i, false));
            }
        } else {
            throw new InvalidSamplingJsonException(block.childPointer("content"), "is required");
        }
        return new ToolResultContent(toolUseId, nested, block.optionalJsonText("structuredContent"),
                block.optionalBoolean("isError"), block.optionalJsonText("_meta"), block.extra());
    }

    static ObjectNode writeBlock(Object block) {
        ObjectNode out = McpJson.object();
        if (block instanceof TextContent text) {
            out.put("type", TEXT);
            out.put("text", text.getText());
            McpJson.putJson(out, "annotations", text.getAnnotations());
            McpJson.putJson(out, "_meta", text.getMeta());
            McpJson.mergeExtra(out, text.getExtra());
        } else if (block instanceof ImageContent image) {
            out.put("type", IMAGE);
            out.put("data", image.getData());
            out.put("mimeType", image.getMimeType());
            McpJson.putJson(out, "annotations", image.getAnnotations());
            McpJson.putJson(out, "_meta", image.getMeta());
            McpJson.mergeExtra(out, image.getExtra());
        } else if (block instanceof AudioContent audio) {
            out.put("type", AUDIO);
            out.put("data", audio.getData());
            out.put("mimeType", audio.getMimeType());
            McpJson.putJson(out, "annotations", audio.getAnnotations());
            McpJson.putJson(out, "_meta", audio.getMeta());
            McpJson.mergeExtra(out, audio.getExtra());
        } else if (block instanceof ToolUseContent toolUse) {
            out.put("type", TOOL_USE);
            out.put("id", toolUse.getId());
            out.put("name", toolUse.getName());
            McpJson.putJson(out, "input", toolUse.getInput());
            McpJson.putJson(out, "_meta", toolUse.getMeta());
            McpJson.mergeExtra(out, toolUse.getExtra());
        } else if (block instanceof ToolResultContent toolResult) {
            out.put("type", TOOL_RESULT);
            out.put("toolUseId", toolResult.getToolUseId());
            ArrayNode nested = out.putArray("content");
            toolResult.getContent().forEach(item -> nested.add(writeBlock(item)));
            McpJson.putJson(out, "structuredContent", toolResult.getStructuredContent());
            if (toolResult.getIsError() != null) {
                out.put("isError", toolResult.getIsError());
            }
            McpJson.putJson(out, "_meta", toolResult.getMeta());
            McpJson.mergeExtra(out, toolResult.getExtra());
        } else if (block instanceof OtherContent other) {
            return (ObjectNode) McpJson.parse(other.getJson());
        } else {
            throw new IllegalArgumentException("Not a content block record: " + block);
        }
        return out;
    }
}
