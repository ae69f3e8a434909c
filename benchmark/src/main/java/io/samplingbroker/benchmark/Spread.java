package io.samplingbroker.benchmark;

/** How the host sessions are dealt over the broker instances: in turn, so that no two counts differ by more than one. */
final class Spread {

    private Spread() {
    }

    /** The broker (0-based) that session {@code session} (0-based) opens on, of {@code brokers}. */
    static int brokerOf(int session, int brokers) {
        if (brokers < 1 || session < 0) {
            throw new IllegalArgumentException("session " + session + " of " + brokers + " broker(s)");
        }
        return session % brokers;
    }
}
