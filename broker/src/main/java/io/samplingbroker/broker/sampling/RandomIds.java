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

    /** A W3C trace id: 32 hex digits. */
    static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex16(random.nextLong()) + hex16(random.nextLong());
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
