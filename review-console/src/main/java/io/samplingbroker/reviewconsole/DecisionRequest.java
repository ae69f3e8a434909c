package io.samplingbroker.reviewconsole;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.json.SamplingResultJson;

/**
 * The body of {@code POST /api/reviews/{id}/decision}, checked: every problem is an
 * {@link InvalidSamplingJsonException} whose pointer names the member at fault in this body. The reviewer is not
 * part of it: it comes from the session.
 */
record DecisionRequest(ReviewStage stage, ReviewAction action, String reason, CreateMessageParams params,
        String forcedModel, CreateMessageResult result) {

    static final int MAX_REASON_CHARS = 2_000;

    static DecisionRequest parse(String body) {
        JsonNode json = McpJson.parse(body == null ? "" : body);
        if (!json.isObject()) {
            throw new InvalidSamplingJsonException("", "a decision is a JSON object");
        }
        ReviewStage stage = switch (text(json, "stage")) {
            case "request" -> ReviewStage.REQUEST;
            case "response" -> ReviewStage.RESPONSE;
            default -> throw new InvalidSamplingJsonException("/stage", "must be \"request\" or \"response\"");
        };
        ReviewAction action = switch (text(json, "action")) {
            case "approve" -> ReviewAction.APPROVE;
            case "edit" -> ReviewAction.EDIT;
            case "deny" -> ReviewAction.DENY;
            default -> throw new InvalidSamplingJsonException("/action", "must be \"approve\", \"edit\" or \"deny\"");
        };
        String reason = optionalText(json, "reason");
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            throw new InvalidSamplingJsonException("/reason", "at most " + MAX_REASON_CHARS + " characters");
        }
        if (action == ReviewAction.DENY && reason == null) {
            throw new InvalidSamplingJsonException("/reason", "a denial needs a reason: the server is told why");
        }
        boolean editRequest = action == ReviewAction.EDIT && stage == ReviewStage.REQUEST;
        boolean editResponse = action == ReviewAction.EDIT && stage == ReviewStage.RESPONSE;
        CreateMessageParams params = editRequest ? params(json) : absent(json, "params");
        CreateMessageResult result = editResponse ? result(json) : absent(json, "result");
        String forcedModel = editRequest ? optionalText(json, "forcedModel") : absent(json, "forcedModel");
        return new DecisionRequest(stage, action, reason, params, forcedModel, result);
    }

    ReviewCommand toCommand(String requestId, String commandId, String reviewer, Instant now) {
        return ReviewCommand.newBuilder()
                .setRequestId(requestId)
                .setCommandId(commandId)
                .setStage(stage)
                .setAction(action)
                .setReviewer(reviewer)
                .setSubmittedAt(now)
                .setReason(reason)
                .setEditedParams(params)
                .setForcedModel(forcedModel)
                .setEditedResult(result)
                .build();
    }

    String actionName() {
        return action.name().toLowerCase(Locale.ROOT);
    }

    private static CreateMessageParams params(JsonNode json) {
        JsonNode params = json.get("params");
        if (params == null || !params.isObject()) {
            throw new InvalidSamplingJsonException("/params", "an edit of the request needs the full params object");
        }
        try {
            return SamplingParamsJson.fromJson(params);
        } catch (InvalidSamplingJsonException e) {
            throw nested("/params", e);
        }
    }

    private static CreateMessageResult result(JsonNode json) {
        JsonNode result = json.get("result");
        if (result == null || !result.isObject()) {
            throw new InvalidSamplingJsonException("/result", "an edit of the response needs the full result object");
        }
        try {
            return SamplingResultJson.fromJson(result);
        } catch (InvalidSamplingJsonException e) {
            throw nested("/result", e);
        }
    }

    private static InvalidSamplingJsonException nested(String prefix, InvalidSamplingJsonException e) {
        String problem = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
        return new InvalidSamplingJsonException(prefix + e.pointer(), problem);
    }

    /** Members that only an edit carries are refused elsewhere, so that nobody believes an edit was made. */
    private static <T> T absent(JsonNode json, String name) {
        JsonNode member = json.get(name);
        if (member != null && !member.isNull()) {
            throw new InvalidSamplingJsonException("/" + name, "only an edit of the "
                    + (name.equals("result") ? "response" : "request") + " carries " + name);
        }
        return null;
    }

    private static String text(JsonNode json, String name) {
        JsonNode member = json.get(name);
        return member != null && member.isTextual() ? member.asText() : "";
    }

    /** A string member, trimmed; null when absent, null or blank. */
    private static String optionalText(JsonNode json, String name) {
        JsonNode member = json.get(name);
        if (member == null || member.isNull()) {
            return null;
        }
        if (!member.isTextual()) {
            throw new InvalidSamplingJsonException("/" + name, "must be a string");
        }
        String value = member.asText().trim();
        int unpaired = McpJson.unpairedSurrogate(value);
        if (unpaired >= 0) {
            // the command travels as Avro, whose UTF-8 would turn it into '?': not the reviewer's words
            throw new InvalidSamplingJsonException("/" + name, "not Unicode text: an unpaired surrogate at character "
                    + unpaired);
        }
        return value.isEmpty() ? null : value;
    }
}
