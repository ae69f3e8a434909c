package io.samplingbroker.broker.sampling;

/**
 * The hash of the latest event of one request that this broker wrote or read (its request, then its answer, then
 * a lifecycle event): what the next event it writes for that request follows in the tamper-evidence chain. Written
 * by the event sender thread and the result reader, read by the event sender thread.
 */
final class ChainHead {

    private volatile byte[] hash;

    byte[] hash() {
        return hash;
    }

    void advance(byte[] latest) {
        if (latest != null) {
            hash = latest;
        }
    }
}
