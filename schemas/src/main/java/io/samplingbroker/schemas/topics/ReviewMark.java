package io.samplingbroker.schemas.topics;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The record header that marks the few decisions human review must see: one that holds a request or asks for
 * response review. The review topology reads every decision, and without the mark would decode each one (prompts of
 * up to megabytes) only to ignore almost all of them. Completions carry no mark: their reply route says whether they
 * go to review ({@link ReplyRoutes}).
 */
public final class ReviewMark {

    /** The header's name; its value says why ({@code request} or {@code response}). */
    public static final String HEADER = "sampling.review";

    private ReviewMark() {
    }

    /** The mark for a held request's decision. */
    public static Header request() {
        return new RecordHeader(HEADER, "request".getBytes(StandardCharsets.UTF_8));
    }

    /** The mark for a decision whose answer a reviewer sees before the server. */
    public static Header response() {
        return new RecordHeader(HEADER, "response".getBytes(StandardCharsets.UTF_8));
    }

    public static boolean isMarked(Headers headers) {
        return headers != null && headers.lastHeader(HEADER) != null;
    }

    /** Decodes marked records only; an unmarked one reads as null, which the review topology skips. */
    public static <T> Deserializer<T> onlyMarked(Deserializer<T> deserializer) {
        return new Deserializer<>() {
            @Override
            public T deserialize(String topic, byte[] data) {
                return null; // no headers, no mark
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return isMarked(headers) ? deserializer.deserialize(topic, headers, data) : null;
            }

            @Override
            public void close() {
                deserializer.close();
            }
        };
    }
}
