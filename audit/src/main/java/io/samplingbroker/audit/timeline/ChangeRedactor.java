package io.samplingbroker.audit.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps what a change line says about <em>what</em> changed and drops the prompt or completion text it quotes.
 * Reviewer edits are diffs by JSON pointer ({@code /messages/0/content/0/text: "a" -> "b"}, or a {@code path:} line
 * followed by {@code - old} / {@code + new} lines); rule amendments are plain ({@code maxTokens 4000 -> 1000}). Values
 * under a content path become sizes; settings such as {@code /maxTokens: 40 -> 100} stay readable.
 */
public final class ChangeRedactor {

    private static final Pattern POINTER_CHANGE = Pattern.compile("(/[^:]*): (.*)", Pattern.DOTALL);
    private static final Pattern CONTENT_PATH = Pattern.compile(
            "^/(messages|systemPrompt|content|tools|metadata|meta|structuredContent)(/.*)?$");

    private ChangeRedactor() {
    }

    public static List<String> redact(List<String> changes) {
        List<String> redacted = new ArrayList<>(changes.size());
        for (String line : changes) {
            redacted.add(redactLine(line));
        }
        return redacted;
    }

    static String redactLine(String line) {
        if (line.startsWith("- ") || line.startsWith("+ ")) {
            return line.substring(0, 2) + "(" + (line.length() - 2) + " chars)";
        }
        Matcher pointer = POINTER_CHANGE.matcher(line);
        if (!pointer.matches() || !CONTENT_PATH.matcher(pointer.group(1)).matches()) {
            return line;
        }
        String change = pointer.group(2);
        int arrow = change.indexOf(" -> ");
        if (change.startsWith("added ") || change.startsWith("removed ")) {
            int space = change.indexOf(' ');
            return pointer.group(1) + ": " + change.substring(0, space) + " (" + (change.length() - space - 1) + " chars)";
        }
        if (arrow >= 0) {
            return pointer.group(1) + ": (" + arrow + " chars) -> (" + (change.length() - arrow - 4) + " chars)";
        }
        return pointer.group(1) + ": (" + change.length() + " chars)";
    }
}
