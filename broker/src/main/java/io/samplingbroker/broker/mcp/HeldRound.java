package io.samplingbroker.broker.mcp;

import java.time.Instant;
import java.util.Objects;

import io.vertx.core.json.JsonObject;

/**
 * A round the broker handed to a 2026-07-28 host half answered: the sampling answers it already made, kept until the
 * host's retry brings the rest (its own inputs, and the sampling the policy forwarded to it), and what the server needs
 * echoed.
 *
 * @param serverState the server's {@code requestState}, or null
 * @param answers the broker's answers (bare {@code CreateMessageResult}s) by input key
 * @param forwarded the sampling inputs the policy forwarded to the host, by input key: what recording the host's
 *     answers needs (the gateway's {@code ForwardedRequest} as JSON)
 * @param round the round number they answer
 * @param callMethod the call the round belongs to
 * @param callName its tool or prompt name or resource URI, if any
 * @param expires after this instant the retry is refused
 * @param owner the authenticated host the round was handed to (subject and tenant), or null when hosts are not
 *     authenticated: a retry from any other principal is refused, so a leaked requestState is no credential
 */
public record HeldRound(String serverState, JsonObject answers, JsonObject forwarded, int round, String callMethod,
        String callName, Instant expires, String owner) {

    public HeldRound {
        Objects.requireNonNull(answers, "answers");
        Objects.requireNonNull(forwarded, "forwarded");
        Objects.requireNonNull(callMethod, "callMethod");
        Objects.requireNonNull(expires, "expires");
    }
}
