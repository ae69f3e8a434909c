package io.samplingbroker.schemas.json;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.events.mcp.ModelHint;
import io.samplingbroker.events.mcp.ModelPreferences;
import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TaskMetadata;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.Tool;
import io.samplingbroker.events.mcp.ToolChoice;
import io.samplingbroker.events.mcp.ToolChoiceMode;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;

/**
 * {@code sampling/createMessage} params (MCP 2025-11-25) to and from {@link CreateMessageParams}, losing nothing:
 * {@code toJson(fromJson(x))} equals {@code x} as JSON. Members the record does not type travel as JSON text.
 */
public final class SamplingParamsJson {

    private SamplingParamsJson() {
    }

    /**
     * Reads and validates params; a violation of the MCP schema, of its tool result rules or of the base64 of image
     * and audio data throws {@link InvalidSamplingJsonException}.
     */
    public static CreateMessageParams fromJson(JsonNode params) {
        TrackedObject in = TrackedObject.of(params, "");
        JsonNode messagesNode = in.required("messages");
        if (!messagesNode.isArray()) {
            throw new InvalidSamplingJsonException(in.childPointer("messages"), "expected an array of messages");
        }
        List<SamplingMessage> messages = new ArrayList<>(messagesNode.size());
        for (int i = 0; i < messagesNode.size(); i++) {
            SamplingMessage message = readMessage(messagesNode.get(i), "/messages/" + i);
            checkToolResults(messages, message, i);
            messages.add(message);
        }
        CreateMessageParams.Builder out = CreateMessageParams.newBuilder()
                .setMessages(messages)
                .setModelPreferences(readModelPreferences(in))
                .setSystemPrompt(in.optionalString("systemPrompt"))
                .setIncludeContext(readIncludeContext(in))
                .setTemperature(in.optionalDouble("temperature"))
                .setMaxTokens(readMaxTokens(in))
                .setStopSequences(readStringArray(in, "stopSequences"))
                .setMetadata(in.optionalJsonText("metadata"))
                .setTools(readTools(in))
                .setToolChoice(readToolChoice(in))
                .setTask(readTask(in))
                .setMeta(in.optionalJsonText("_meta"));
        return out.setExtra(in.extra()).build();
    }

    public static ObjectNode toJson(CreateMessageParams params) {
        ObjectNode out = McpJson.object();
        ArrayNode messages = out.putArray("messages");
        params.getMessages().forEach(message -> messages.add(writeMessage(message)));
        if (params.getModelPreferences() != null) {
            out.set("modelPreferences", writeModelPreferences(params.getModelPreferences()));
        }
        McpJson.putIfPresent(out, "systemPrompt", params.getSystemPrompt());
        if (params.getIncludeContext() != null) {
            out.put("includeContext", params.getIncludeContext().name());
        }
        if (params.getTemperature() != null) {
            out.put("temperature", params.getTemperature());
        }
        out.put("maxTokens", params.getMaxTokens());
        if (params.getStopSequences() != null) {
            ArrayNode stops = out.putArray("stopSequences");
            params.getStopSequences().forEach(stops::add);
        }
        McpJson.putJson(out, "metadata", params.getMetadata());
        if (params.getTools() != null) {
            ArrayNode tools = out.putArray("tools");
            params.getTools().forEach(tool -> tools.add(writeTool(tool)));
        }
        if (params.getToolChoice() != null) {
            ObjectNode choice = out.putObject("toolChoice");
            if (params.getToolChoice().getMode() != null) {
                choice.put("mode", params.getToolChoice().getMode().name());
            }
            McpJson.mergeExtra(choice, params.getToolChoice().getExtra());
        }
        if (params.getTask() != null) {
            ObjectNode task = out.putObject("task");
            if (params.getTask().getTtl() != null) {
                task.put("ttl", params.getTask().getTtl());
            }
            McpJson.mergeExtra(task, params.getTask().getExtra());
        }
        McpJson.putJson(out, "_meta", params.getMeta());
        McpJson.mergeExtra(out, params.getExtra());
        return out;
    }

    static SamplingMessage readMessage(JsonNode node, String pointer) {
        TrackedObject message = TrackedObject.of(node, pointer);
        Role role = readRole(message);
        ContentBlocksJson.Blocks content = ContentBlocksJson.readContent(message.required("content"),
                message.childPointer("content"));
        return new SamplingMessage(role, content.blocks(), content.shape(), message.optionalJsonText("_meta"),
                message.extra());
    }

    /**
     * MCP 2025-11-25 tool results: a user message holding {@code tool_result} blocks holds nothing else, and each
     * {@code tool_result} answers, by {@code toolUseId}, a {@code tool_use} block ({@code id}) of the immediately
     * previous message, which is an assistant message.
     *
     * @param earlier the messages before this one, already read and checked
     */
    private static void checkToolResults(List<SamplingMessage> earlier, SamplingMessage message, int index) {
        String contentPointer = "/messages/" + index + "/content";
        List<Object> blocks = message.getContent();
        boolean single = message.getContentShape() == ContentShape.SINGLE;
        if (blocks.stream().noneMatch(ToolResultContent.class::isInstance)) {
            return;
        }
        if (message.getRole() == Role.user) {
            for (int i = 0; i < blocks.size(); i++) {
                if (!(blocks.get(i) instanceof ToolResultContent)) {
                    throw new InvalidSamplingJsonException(contentPointer, "a user message holding tool_result blocks"
                            + " must hold nothing else; block " + i + " is " + blockType(blocks.get(i)));
                }
            }
        }
        SamplingMessage previous = earlier.isEmpty() ? null : earlier.get(earlier.size() - 1);
        String previousPointer = "/messages/" + (index - 1);
        for (int i = 0; i < blocks.size(); i++) {
            if (!(blocks.get(i) instanceof ToolResultContent result)) {
                continue;
            }
            String pointer = (single ? contentPointer : contentPointer + "/" + i) + "/toolUseId";
            String id = result.getToolUseId();
            if (previous == null) {
                throw new InvalidSamplingJsonException(pointer, "tool_result " + quote(id) + " answers no tool_use:"
                        + " it is in the first message, with no assistant message before it");
            }
            if (previous.getRole() != Role.assistant) {
                throw new InvalidSamplingJsonException(pointer, "tool_result " + quote(id) + " answers no tool_use:"
                        + " the previous message (" + previousPointer + ") is a " + previous.getRole().name()
                        + " message, not an assistant message");
            }
            if (!hasToolUse(previous, id)) {
                throw new InvalidSamplingJsonException(pointer, "tool_result " + quote(id) + " answers no tool_use:"
                        + " the previous assistant message (" + previousPointer + ") holds no tool_use with that id");
            }
        }
    }

    private static boolean hasToolUse(SamplingMessage message, String id) {
        for (Object block : message.getContent()) {
            if (block instanceof ToolUseContent toolUse && toolUse.getId().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static String blockType(Object block) {
        if (block instanceof OtherContent other) {
            return other.getType();
        }
        if (block instanceof TextContent) {
            return ContentBlocksJson.TEXT;
        }
        if (block instanceof ImageContent) {
            return ContentBlocksJson.IMAGE;
        }
        if (block instanceof AudioContent) {
            return ContentBlocksJson.AUDIO;
        }
        if (block instanceof ToolUseContent) {
            return ContentBlocksJson.TOOL_USE;
        }
        return ContentBlocksJson.TOOL_RESULT;
    }

    /** An id from the request, quoted and cut short so that a long one does not swell the error. */
    private static String quote(String id) {
        int max = 64;
        return "'" + (id.length() <= max ? id : id.substring(0, max) + "...") + "'";
    }

    static Role readRole(TrackedObject object) {
        String role = object.requiredString("role");
        return switch (role) {
            case "user" -> Role.user;
            case "assistant" -> Role.assistant;
            default -> throw new InvalidSamplingJsonException(object.childPointer("role"),
                    "must be 'user' or 'assistant', not '" + role + "'");
        };
    }

    private static ObjectNode writeMessage(SamplingMessage message) {
        ObjectNode out = McpJson.object();
        out.put("role", message.getRole().name());
        out.set("content", ContentBlocksJson.writeContent(message.getContent(), message.getContentShape()));
        McpJson.putJson(out, "_meta", message.getMeta());
        McpJson.mergeExtra(out, message.getExtra());
        return out;
    }

    private static ModelPreferences readModelPreferences(TrackedObject params) {
        JsonNode node = params.optional("modelPreferences");
        if (node == null) {
            return null;
        }
        TrackedObject prefs = TrackedObject.of(node, params.childPointer("modelPreferences"));
        List<ModelHint> hints = null;
        JsonNode hintsNode = prefs.optional("hints");
        if (hintsNode != null) {
            if (!hintsNode.isArray()) {
                throw new InvalidSamplingJsonException(prefs.childPointer("hints"), "expected an array of hints");
            }
            hints = new ArrayList<>(hintsNode.size());
            for (int i = 0; i < hintsNode.size(); i++) {
                TrackedObject hint = TrackedObject.of(hintsNode.get(i), prefs.childPointer("hints") + "/" + i);
                hints.add(new ModelHint(hint.optionalString("name"), hint.extra()));
            }
        }
        return new ModelPreferences(hints, priority(prefs, "costPriority"), priority(prefs, "speedPriority"),
                priority(prefs, "intelligencePriority"), prefs.extra());
    }

    private static Double priority(TrackedObject prefs, String name) {
        Double value = prefs.optionalDouble(name);
        if (value != null && (value < 0 || value > 1)) {
            throw new InvalidSamplingJsonException(prefs.childPointer(name), "must be between 0 and 1, got " + value);
        }
        return value;
    }

    private static ObjectNode writeModelPreferences(ModelPreferences prefs) {
        ObjectNode out = McpJson.object();
        if (prefs.getHints() != null) {
            ArrayNode hints = out.putArray("hints");
            for (ModelHint hint : prefs.getHints()) {
                ObjectNode h = hints.addObject();
                McpJson.putIfPresent(h, "name", hint.getName());
                McpJson.mergeExtra(h, hint.getExtra());
            }
        }
        putDouble(out, "costPriority", prefs.getCostPriority());
        putDouble(out, "speedPriority", prefs.getSpeedPriority());
        putDouble(out, "intelligencePriority", prefs.getIntelligencePriority());
        McpJson.mergeExtra(out, prefs.getExtra());
        return out;
    }

    private static void putDouble(ObjectNode out, String name, Double value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    private static IncludeContext readIncludeContext(TrackedObject params) {
        String value = params.optionalString("includeContext");
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "none" -> IncludeContext.none;
            case "thisServer" -> IncludeContext.thisServer;
            case "allServers" -> IncludeContext.allServers;
            default -> throw new InvalidSamplingJsonException(params.childPointer("includeContext"),
                    "must be 'none', 'thisServer' or 'allServers', not '" + value + "'");
        };
    }

    private static long readMaxTokens(TrackedObject params) {
        long maxTokens = params.requiredLong("maxTokens");
        if (maxTokens <= 0) {
            throw new InvalidSamplingJsonException(params.childPointer("maxTokens"), "must be positive, got " + maxTokens);
        }
        return maxTokens;
    }

    private static List<String> readStringArray(TrackedObject object, String name) {
        JsonNode node = object.optional(name);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidSamplingJsonException(object.childPointer(name), "expected an array of strings");
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            values.add(TrackedObject.asString(node.get(i), object.childPointer(name) + "/" + i));
        }
        return values;
    }

    private static List<Tool> readTools(TrackedObject params) {
        JsonNode node = params.optional("tools");
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidSamplingJsonException(params.childPointer("tools"), "expected an array of tools");
        }
        List<Tool> tools = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            TrackedObject tool = TrackedObject.of(node.get(i), params.childPointer("tools") + "/" + i);
            tools.add(new Tool(tool.requiredString("name"), tool.optionalString("title"),
                    tool.optionalString("description"), tool.requiredObjectText("inputSchema"),
                    tool.optionalJsonText("outputSchema"), tool.optionalJsonText("annotations"),
                    tool.optionalJsonText("_meta"), tool.extra()));
        }
        return tools;
    }

    private static ObjectNode writeTool(Tool tool) {
        ObjectNode out = McpJson.object();
        out.put("name", tool.getName());
        McpJson.putIfPresent(out, "title", tool.getTitle());
        McpJson.putIfPresent(out, "description", tool.getDescription());
        McpJson.putJson(out, "inputSchema", tool.getInputSchema());
        McpJson.putJson(out, "outputSchema", tool.getOutputSchema());
        McpJson.putJson(out, "annotations", tool.getAnnotations());
        McpJson.putJson(out, "_meta", tool.getMeta());
        McpJson.mergeExtra(out, tool.getExtra());
        return out;
    }

    private static ToolChoice readToolChoice(TrackedObject params) {
        JsonNode node = params.optional("toolChoice");
        if (node == null) {
            return null;
        }
        TrackedObject choice = TrackedObject.of(node, params.childPointer("toolChoice"));
        String mode = choice.optionalString("mode");
        ToolChoiceMode parsed = null;
        if (mode != null) {
            parsed = switch (mode) {
                case "auto" -> ToolChoiceMode.auto;
                case "required" -> ToolChoiceMode.required;
                case "none" -> ToolChoiceMode.none;
                default -> throw new InvalidSamplingJsonException(choice.childPointer("mode"),
                        "must be 'auto', 'required' or 'none', not '" + mode + "'");
            };
        }
        return new ToolChoice(parsed, choice.extra());
    }

    private static TaskMetadata readTask(TrackedObject params) {
        JsonNode node = params.optional("task");
        if (node == null) {
            return null;
        }
        TrackedObject task = TrackedObject.of(node, params.childPointer("task"));
        return new TaskMetadata(task.optionalLong("ttl"), task.extra());
    }
}
