package io.samplingbroker.approval.policy;

import java.util.Objects;

/**
 * What a matching rule (or the default action) does.
 *
 * @param kind approve, deny or amend
 * @param reason why, in words the server's operator can read; sent to the server on denial (null: a standard
 *     wording is used)
 * @param amendment the changes of an {@code amend} action, null otherwise
 */
public record RuleAction(Kind kind, String reason, Amendment amendment) {

    /** The actions a policy can take now. Human review ({@code hold}) arrives with the review console. */
    public enum Kind {
        APPROVE, DENY, AMEND
    }

    public RuleAction {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.AMEND) != (amendment != null)) {
            throw new IllegalArgumentException("an amendment goes with the amend action, and only with it");
        }
    }

    public static RuleAction approve() {
        return new RuleAction(Kind.APPROVE, null, null);
    }

    public static RuleAction deny(String reason) {
        return new RuleAction(Kind.DENY, reason, null);
    }

    public static RuleAction amend(Amendment amendment) {
        return new RuleAction(Kind.AMEND, null, amendment);
    }
}
