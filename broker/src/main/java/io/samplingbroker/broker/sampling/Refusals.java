package io.samplingbroker.broker.sampling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;

import io.samplingbroker.events.RefusalReason;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingRefused;

/**
 * The record of a request refused before the pipeline: its size and hash instead of its content, which is too large,
 * invalid, or could not be written; the server, holding what it sent, can prove it is the request recorded.
 */
final class Refusals {

    /** Kafka's and Avro's messages name limits and classes, not content; a bound keeps an odd one from growing. */
    private static final int MAX_DETAIL_CHARS = 500;

    private Refusals() {
    }

    static SamplingRefused of(SamplingContext context, Instant at, RefusalReason reason, int errorCode,
            String detail, String requestText, String protocolVersion) {
        byte[] bytes = requestText.getBytes(StandardCharsets.UTF_8);
        return SamplingRefused.newBuilder()
                .setContext(context)
                .setOccurredAt(at)
                .setReason(reason)
                .setErrorCode(errorCode)
                .setDetail(bounded(detail))
                .setRequestBytes(bytes.length)
                .setRequestSha256(sha256(bytes))
                .setProtocolVersion(protocolVersion)
                .build();
    }

    /** Why Kafka did not take the request: the failure's own description, unwrapped from its future. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String bounded(String detail) {
        return detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS) + "...";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
