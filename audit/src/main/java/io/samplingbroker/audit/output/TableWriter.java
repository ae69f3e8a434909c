package io.samplingbroker.audit.output;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.Timeline;

/**
 * The readable form: one block per request, a header with who asked for whom and how it ended, one line per event
 * (time, seconds since the request, type, actor, what it decided or produced, where the record is), and a footer
 * with model, tokens, latency and reviewers.
 */
public final class TableWriter implements Consumer<Timeline> {

    private final PrintStream out;

    public TableWriter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(Timeline timeline) {
        out.println(header(timeline));
        Instant origin = timeline.requestedAt();
        for (AuditEvent event : timeline.events()) {
            out.println(line(event, origin));
            for (String change : event.changes()) {
                out.println("      " + " ".repeat(38) + "| " + change);
            }
            if (event.attempts().size() > 1) { // one attempt is the line itself
                for (int i = 0; i < event.attempts().size(); i++) {
                    out.println("      " + " ".repeat(38) + "attempt " + (i + 1) + ": "
                            + event.attempts().get(i).describe());
                }
            }
            if (event.content() != null) {
                for (String text : event.content().split("\n", -1)) {
                    out.println("      " + " ".repeat(38) + "> " + text);
                }
            }
        }
        out.println(footer(timeline));
        out.println();
    }

    public static String header(Timeline t) {
        return "request " + t.requestId() + "  " + t.outcome().label().toUpperCase(Locale.ROOT)
                + "  host " + orDash(t.host()) + (t.tenant() == null ? "" : "  tenant " + t.tenant())
                + "  server " + orDash(t.server()) + "  session " + orDash(t.session());
    }

    public static String line(AuditEvent event, Instant origin) {
        String time = event.occurredAt() == null ? "-" : event.occurredAt().toString();
        String since = origin == null || event.occurredAt() == null ? ""
                : String.format(Locale.ROOT, "+%.3fs", (event.occurredAt().toEpochMilli() - origin.toEpochMilli()) / 1000.0);
        String actor = event.actorKind() == null ? "-" : event.actorKind().toLowerCase(Locale.ROOT).replace('_', '-')
                + " " + orDash(event.actor());
        return String.format(Locale.ROOT, "  %-24s %9s  %-14s %-36s %s  (%s)", time, since, event.type().label(), actor,
                details(event), event.location());
    }

    public static String details(AuditEvent e) {
        StringBuilder text = new StringBuilder();
        append(text, e.decision());
        if (e.messages() != null) {
            append(text, e.messages() + " msg, " + e.promptChars() + " chars, maxTokens " + e.maxTokens());
        }
        if (e.model() != null && !(e.actor() != null && e.actor().endsWith("/" + e.model()))) {
            append(text, "model " + e.model());
        }
        if (e.inputTokens() != null || e.outputTokens() != null) {
            append(text, "tokens in " + orDash(e.inputTokens()) + " out " + orDash(e.outputTokens()));
        }
        if (e.completionChars() != null) {
            append(text, e.completionChars() + " chars");
        }
        if (e.latencyMillis() != null) {
            append(text, e.latencyMillis() + " ms");
        }
        if (e.failureCode() != null) {
            append(text, e.failureCode());
        }
        if (e.routedToReview()) {
            append(text, "routed to review");
        }
        if (e.errorCode() != null) {
            append(text, "code " + e.errorCode());
        }
        if (e.reason() != null) {
            append(text, "\"" + e.reason() + "\"");
        }
        return text.toString();
    }

    public static String footer(Timeline t) {
        long latency = t.deliveryLatencyMillis();
        return "  = model " + (t.models().isEmpty() ? "-" : String.join(",", t.models()))
                + "  tokens in " + t.inputTokens() + " out " + t.outputTokens()
                + "  latency " + (latency < 0 ? "-" : String.format(Locale.ROOT, "%.3fs", latency / 1000.0))
                + "  reviewers " + (t.reviewers().isEmpty() ? "-" : String.join(",", t.reviewers()));
    }

    private static void append(StringBuilder text, String part) {
        if (part != null && !part.isEmpty()) {
            text.append(text.length() == 0 ? "" : ", ").append(part);
        }
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
