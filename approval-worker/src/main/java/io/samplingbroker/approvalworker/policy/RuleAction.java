package io.samplingbroker.approvalworker.policy;

import java.util.Objects;

/**
 * What a matching rule (or the default action) does.
 *
 * @param kind approve, deny, amend, hold or forward
 * @param reason why, in words the server's operator can read; sent to the server on denial (null: a standard
 *     wording is used); for a hold, shown to the reviewer
 * @param amendment the changes of an {@code amend} action, null otherwise
 * @param reviewResponse hold the model's answer for a reviewer before it is delivered (not with deny)
 */
public record RuleAction(Kind kind, String reason, Amendment amendment, boolean reviewResponse) {

    /**
     * What the policy can do with a request; {@code HOLD} waits for a reviewer in the review console; {@code FORWARD}
     * lets a host that samples itself answer (its own model, its own approval), and approves for a model-worker when
     * the host cannot take the request.
     */
    public enum Kind {
        APPROVE, DENY, AMEND, HOLD, FORWARD
    }

    public RuleAction {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.AMEND) != (amendment != null)) {
            throw new IllegalArgumentException("an amendment goes with the amend action, and only with it");
        }
        if (kind == Kind.DENY && reviewResponse) {
            throw new IllegalArgumentException("a denied request has no response to review");
        }
    }

    public static RuleAction deny(String reason) {
        return new RuleAction(Kind.DENY, reason, null, false);
    }

    public static RuleAction hold(String reason) {
        return new RuleAction(Kind.HOLD, reason, null, false);
    }
}
