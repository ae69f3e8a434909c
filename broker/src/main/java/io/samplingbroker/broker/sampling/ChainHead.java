package io.samplingbroker.broker.sampling;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The hash of the latest event of one request that this broker wrote or read (its request, then its answer, then
 * a lifecycle event): what the next event it writes for that request follows in the tamper-evidence chain. Written
 * by the event sender thread and the result reader, read by the event sender thread.
 */
final class ChainHead {

    private final AtomicReference<byte[]> hash = new AtomicReference<>();

    byte[] hash() {
        return hash.get();
    }

    /** An event read later than anything written so far (the answer): it is the latest. */
    void advance(byte[] latest) {
        if (latest != null) {
            hash.set(latest);
        }
    }

    /** An event that starts the chain: whatever was there before is not what the next event follows. */
    void restart(byte[] first) {
        hash.set(first);
    }

    /**
     * An event written after {@code followed}: it becomes the latest unless a later event was read meanwhile (an
     * answer can be read on the result reader's thread before the sender thread gets here), which stays the latest.
     */
    void advanceFrom(byte[] followed, byte[] written) {
        if (written != null) {
            hash.compareAndSet(followed, written);
        }
    }
}
