package io.samplingbroker.broker.sampling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import io.samplingbroker.events.SamplingContext;
import io.vertx.core.json.JsonObject;

/**
 * A request the policy forwarded to the host, as recording the host's answer needs it, on whichever broker instance
 * that answer arrives.
 *
 * @param context the request's context as the approval-worker routed it (to review when it asked so)
 * @param followsHash the chain hash of the forward instruction, which the host's answer follows; null if unknown
 * @param forwardedAt when the broker read the instruction (the host's answer records the time since)
 * @param traceParent the W3C {@code traceparent} of the broker's span that forwarded it, which the host's answer
 *     continues; null if none
 */
public record ForwardedRequest(SamplingContext context, byte[] followsHash, Instant forwardedAt, String traceParent) {

    public ForwardedRequest {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(forwardedAt, "forwardedAt");
    }

    public String requestId() {
        return context.getRequestId();
    }

    /** How long the host may take: until the request's deadline. */
    public Duration timeLeft(Instant now) {
        return Duration.between(now, context.getDeadline());
    }

    /** As JSON, for a sealed {@code requestState}: the context in Avro's single-object encoding. */
    public JsonObject toJson() {
        ByteBuffer encoded;
        try {
            encoded = context.toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("A sampling context cannot be encoded", e);
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        JsonObject json = new JsonObject().put("c", base64(bytes)).put("t", forwardedAt.toEpochMilli());
        if (followsHash != null) {
            json.put("h", base64(followsHash));
        }
        if (traceParent != null) {
            json.put("p", traceParent);
        }
        return json;
    }

    /** Reads {@link #toJson}; the JSON comes from a sealed state, so a failure here is a broker bug, not the host's. */
    public static ForwardedRequest fromJson(JsonObject json) {
        try {
            String hash = json.getString("h");
            return new ForwardedRequest(SamplingContext.fromByteBuffer(ByteBuffer.wrap(
                    Base64.getDecoder().decode(json.getString("c")))),
                    hash == null ? null : Base64.getDecoder().decode(hash), Instant.ofEpochMilli(json.getLong("t")),
                    json.getString("p"));
        } catch (IOException e) {
            throw new IllegalStateException("A sealed forwarded request cannot be read", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
