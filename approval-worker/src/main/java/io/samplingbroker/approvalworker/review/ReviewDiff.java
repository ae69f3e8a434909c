package io.samplingbroker.approvalworker.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.json.SamplingResultJson;

/**
 * What a reviewer changed, as lines for the decision event: the MCP JSON of the original and the edited version are
 * compared field by field (JSON pointers name the fields). A changed multi-line text gives a line diff ({@code -} and
 * {@code +} lines for what was removed and added); a short value gives {@code old -> new}; a long single value (an
 * image's base64 data) gives its sizes and hashes instead of the data itself.
 */
public final class ReviewDiff {

    /** Values longer than this are summarised by size and hash. */
    static final int INLINE_LIMIT = 200;

    private ReviewDiff() {
    }

    public static List<String> of(CreateMessageParams before, CreateMessageParams after) {
        return between(SamplingParamsJson.toJson(before), SamplingParamsJson.toJson(after));
    }

    public static List<String> of(CreateMessageResult before, CreateMessageResult after) {
        return between(SamplingResultJson.toJson(before), SamplingResultJson.toJson(after));
    }

    static List<String> between(JsonNode before, JsonNode after) {
        List<String> lines = new ArrayList<>();
        compare("", before, after, lines);
        return lines;
    }

    private static void compare(String pointer, JsonNode before, JsonNode after, List<String> lines) {
        if (before != null && before.equals(after)) {
            return;
        }
        if (before == null || after == null || before.getNodeType() != after.getNodeType()
                || before.isValueNode()) {
            change(pointer, before, after, lines);
            return;
        }
        if (before.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compare(pointer + "/" + escape(name), before.get(name), after.get(name), lines);
            }
            return;
        }
        int size = Math.max(before.size(), after.size());
        for (int i = 0; i < size; i++) {
            compare(pointer + "/" + i, before.get(i), after.get(i), lines);
        }
    }

    private static void change(String pointer, JsonNode before, JsonNode after, List<String> lines) {
        String path = pointer.isEmpty() ? "/" : pointer;
        if (before == null) {
            lines.add(path + ": added " + shown(after));
        } else if (after == null) {
            lines.add(path + ": removed " + shown(before));
        } else if (before.isTextual() && after.isTextual()
                && (before.asText().contains("\n") || after.asText().contains("\n"))
                && before.asText().length() + after.asText().length() <= 64 * 1024) {
            lines.add(path + ":");
            lineDiff(before.asText().split("\n", -1), after.asText().split("\n", -1), lines);
        } else {
            lines.add(path + ": " + shown(before) + " -> " + shown(after));
        }
    }

    /** A longest-common-subsequence line diff: unchanged lines are left out, only what went and what came. */
    private static void lineDiff(String[] before, String[] after, List<String> lines) {
        int[][] common = new int[before.length + 1][after.length + 1];
        for (int i = before.length - 1; i >= 0; i--) {
            for (int j = after.length - 1; j >= 0; j--) {
                common[i][j] = before[i].equals(after[j]) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < before.length || j < after.length) {
            if (i < before.length && j < after.length && before[i].equals(after[j])) {
                i++;
                j++;
            } else if (i < before.length && (j == after.length || common[i + 1][j] >= common[i][j + 1])) {
                lines.add("- " + before[i++]);
            } else {
                lines.add("+ " + after[j++]);
            }
        }
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        if (text.length() <= INLINE_LIMIT) {
            return text;
        }
        return "(" + text.length() + " characters, sha-256 " + sha256(text).substring(0, 16) + ")";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
