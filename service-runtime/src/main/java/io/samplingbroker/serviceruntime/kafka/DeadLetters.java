package io.samplingbroker.serviceruntime.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.samplingbroker.schemas.topics.Service;

/**
 * The one way every service sets a record aside that it cannot process: a copy on the dead-letters topic with the
 * raw key and value, the record's own headers, and these headers saying where it came from and why. Nothing is
 * dropped silently, and an operator can replay a fixed record from its source position.
 */
public final class DeadLetters {

    public static final String SOURCE_TOPIC = "sampling.dlq.topic";
    public static final String SOURCE_PARTITION = "sampling.dlq.partition";
    public static final String SOURCE_OFFSET = "sampling.dlq.offset";
    public static final String SERVICE = "sampling.dlq.service";
    public static final String REASON = "sampling.dlq.reason";

    private DeadLetters() {
    }

    /** The record's own headers (copied) and the dead-letter headers after them. */
    public static Headers headers(Headers original, Service service, String topic, int partition, long offset,
            String reason) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            original.forEach(headers::add);
        }
        headers.add(SOURCE_TOPIC, bytes(topic));
        headers.add(SOURCE_PARTITION, bytes(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, bytes(Long.toString(offset)));
        headers.add(SERVICE, bytes(service.id()));
        headers.add(REASON, bytes(reason == null ? "unknown" : reason));
        return headers;
    }

    /** The raw bytes of an unreadable record's key or value, as the consumer's exception holds them (null: none). */
    public static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
