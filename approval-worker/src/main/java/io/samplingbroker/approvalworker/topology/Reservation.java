package io.samplingbroker.approvalworker.topology;

import java.nio.ByteBuffer;

/**
 * A token budget reservation not yet settled by a completion, as the {@code budget-reservations} store keeps it.
 *
 * @param requestedAt the request's {@code requestedAt} (epoch ms): where its charges are in the charges store
 * @param deadline the request's deadline (epoch ms)
 * @param concludedSeenAt when the request was first seen concluded (cancelled, expired, abandoned, delivered)
 *     without a completion, 0 until then
 */
record Reservation(long requestedAt, long deadline, long concludedSeenAt) {

    private static final int BYTES = 3 * Long.BYTES;

    Reservation concludedAt(long now) {
        return new Reservation(requestedAt, deadline, now);
    }

    byte[] encode() {
        return ByteBuffer.allocate(BYTES).putLong(requestedAt).putLong(deadline).putLong(concludedSeenAt).array();
    }

    static Reservation decode(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalStateException("Corrupt entry in the budget-reservations store: " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new Reservation(buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
