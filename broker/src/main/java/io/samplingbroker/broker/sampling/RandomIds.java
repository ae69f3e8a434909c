package io.samplingbroker.broker.sampling;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Ids for new requests; they need uniqueness, not secrecy, so no SecureRandom on the hot path. */
final class RandomIds {

    private RandomIds() {
    }

    /** A random (version 4) UUID. */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** A W3C trace id: 32 hex digits, not all zero. */
    static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex16(random.nextLong() | 1) + hex16(random.nextLong());
    }

    /** A W3C span id: 16 hex digits, not all zero. */
    static String spanId() {
        return hex16(ThreadLocalRandom.current().nextLong() | 1);
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
