package io.samplingbroker.schemas.topics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The tamper-evidence chain of a request's events, carried in two record headers. {@value #HASH} is SHA-256 over a
 * domain tag, the hash of the event this one follows ({@value #PREVIOUS}, absent on the request itself) and the
 * record value exactly as written (registry wire format: schema id and Avro body, which holds the request id). Each
 * writer names as previous the event it acted on: a decision follows its request, a completion its decision, an
 * answer its completion, a delivery its answer; so every event but the request links to an earlier event of the
 * same request. Altering an event changes its hash and breaks its link from the next; removing one leaves its
 * followers pointing at nothing (or the request without a terminal event); moving one before the event it follows
 * puts a link backwards. What this does not stop, and the audit README says how to close it: a writer with produce
 * rights can append new, well-linked events, and deleting every event of a request leaves nothing to check.
 */
public final class EventChain {

    public static final String HASH = "sampling.chain.hash";
    public static final String PREVIOUS = "sampling.chain.previous";
    private static final byte[] DOMAIN = "sampling-broker event chain v1\n".getBytes(StandardCharsets.UTF_8);

    private EventChain() {
    }

    /** The hash of a record value written after {@code previous} (null for a request). */
    public static byte[] hash(byte[] previous, byte[] value) {
        MessageDigest digest = sha256();
        digest.update(DOMAIN);
        digest.update(previous == null ? new byte[0] : previous);
        digest.update(value);
        return digest.digest();
    }

    /** The record's own hash, or null when it carries none. */
    public static byte[] hashOf(Headers headers) {
        return value(headers, HASH);
    }

    /** The hash of the event the record follows, or null for a request (or an unchained record). */
    public static byte[] previousOf(Headers headers) {
        return value(headers, PREVIOUS);
    }

    /** Makes the record about to be written follow the event whose hash is {@code previous} (null: none). */
    public static void follow(Headers headers, byte[] previous) {
        headers.remove(PREVIOUS);
        if (previous != null) {
            headers.add(PREVIOUS, previous);
        }
    }

    /** Wraps a value serializer so that every record it writes carries its {@value #HASH}, over the exact bytes. */
    public static <T> Serializer<T> stamping(Serializer<T> serializer) {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T data) {
                return serializer.serialize(topic, data); // no headers to stamp: only for callers outside Kafka
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T data) {
                byte[] bytes = serializer.serialize(topic, headers, data);
                if (headers != null && bytes != null) {
                    headers.remove(HASH);
                    headers.add(HASH, hash(previousOf(headers), bytes));
                }
                return bytes;
            }

            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                serializer.configure(configs, isKey);
            }

            @Override
            public void close() {
                serializer.close();
            }
        };
    }

    /**
     * Wraps a value deserializer so that a record read from Kafka (with its headers) is only decoded when it carries
     * its {@value #HASH} and that hash matches its bytes: a record without one was not written by the services (an
     * unknown producer), one whose bytes do not match was altered. Either is refused with an
     * {@link UnchainedRecordException}, which the consumer reports with the record's partition and offset, so the
     * service sets it aside on the dead-letters topic. Reading without headers (a copy the service made itself)
     * checks nothing.
     */
    public static <T> Deserializer<T> verifying(Deserializer<T> deserializer) {
        return new Deserializer<>() {
            @Override
            public T deserialize(String topic, byte[] data) {
                return deserializer.deserialize(topic, data);
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                if (data != null) {
                    byte[] hash = hashOf(headers);
                    if (hash == null) {
                        throw new UnchainedRecordException("The record on topic '" + topic + "' carries no "
                                + HASH + " header: it was not written by the sampling services");
                    }
                    if (!Arrays.equals(hash, hash(previousOf(headers), data))) {
                        throw new UnchainedRecordException("The record on topic '" + topic + "' does not match its "
                                + HASH + " header: its bytes were altered after it was written");
                    }
                }
                return deserializer.deserialize(topic, headers, data);
            }

            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                deserializer.configure(configs, isKey);
            }

            @Override
            public void close() {
                deserializer.close();
            }
        };
    }

    /** A record the services did not write (no chain hash), or whose bytes were altered since. */
    public static final class UnchainedRecordException extends SerializationException {

        private static final long serialVersionUID = 1L;

        UnchainedRecordException(String message) {
            super(message);
        }
    }

    private static byte[] value(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header header = headers.lastHeader(name);
        return header == null ? null : header.value();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
