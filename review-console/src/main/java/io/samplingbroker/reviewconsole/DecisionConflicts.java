package io.samplingbroker.reviewconsole;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.RefusedCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.ReviewVerdict;

/**
 * Why a decision cannot (or could not) be applied, as the contract's errors: checked locally before sending, and
 * read from the approval-worker's refusal after. The worker is the authority; the local check only spares Kafka a
 * command that would surely be refused, and uses the same words.
 */
final class DecisionConflicts {

    /** An error to answer with. */
    record Conflict(ConsoleErrors error, ObjectNode body) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DecisionConflicts() {
    }

    /** Null when the item is pending at {@code stage} and in time. */
    static Conflict beforeSending(ReviewItem item, ReviewStage stage, Instant now) {
        if (item.getState() != ReviewState.PENDING) {
            ReviewVerdict decision = item.getDecision();
            String why = decision != null ? "Already decided by " + decision.getReviewer() + " at "
                    + TIME.format(decision.getDecidedAt()) + " (" + lower(decision.getAction()) + ")"
                    : "No longer pending: " + lower(item.getState());
            return conflict(item, stage, why);
        }
        if (item.getStage() != stage) {
            return conflict(item, stage, "The review is at the " + lower(item.getStage()) + " stage, not the "
                    + lower(stage) + " stage");
        }
        if (!now.isBefore(item.getContext().getDeadline())) {
            return conflict(item, stage, "Too late: the request's deadline passed at "
                    + TIME.format(item.getContext().getDeadline()));
        }
        return null;
    }

    /** The error for a command the approval-worker refused, in its own words. */
    static Conflict refused(ReviewItem item, RefusedCommand refusal, ReviewStage stage) {
        return conflict(item, stage, refusal.getWhy());
    }

    private static Conflict conflict(ReviewItem item, ReviewStage stage, String why) {
        if (item.getState() != ReviewState.PENDING && item.getDecision() != null) {
            ObjectNode body = ConsoleErrors.ALREADY_DECIDED.body(why);
            body.set("decision", ReviewJson.decision(item.getDecision()));
            return new Conflict(ConsoleErrors.ALREADY_DECIDED, body);
        }
        if (item.getState() != ReviewState.PENDING || why.startsWith("Too late")) {
            ObjectNode body = ConsoleErrors.NO_LONGER_PENDING.body(why);
            body.put("state", item.getState() != ReviewState.PENDING ? lower(item.getState()) : "expired");
            return new Conflict(ConsoleErrors.NO_LONGER_PENDING, body);
        }
        if (item.getStage() != stage) {
            ObjectNode body = ConsoleErrors.STAGE_MISMATCH.body(why);
            body.put("stage", lower(item.getStage()));
            return new Conflict(ConsoleErrors.STAGE_MISMATCH, body);
        }
        // pending at this stage and in time, yet refused: the command itself was wrong
        return new Conflict(ConsoleErrors.INVALID_DECISION, ConsoleErrors.INVALID_DECISION.body(why));
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
