package io.samplingbroker.audit.replay;

/** Counters of one replay, printed at the end (and by {@code --stats}). Single-threaded. */
public final class ReplayStats {

    long records;
    long planned;
    long timelines;
    long open;
    long carriedOver;
    long afterRange;
    long filteredOut;
    long undecodable;
    long lateEvents;
    long elapsedNanos;

    /** Records read. */
    public long records() {
        return records;
    }

    /** Records between the start and end offsets when the replay started. */
    public long planned() {
        return planned;
    }

    /** Timelines emitted (after filters). */
    public long timelines() {
        return timelines;
    }

    /** Timelines emitted without a terminal event, still within deadline plus grace. */
    public long open() {
        return open;
    }

    /**
     * Timelines set aside because their request is not in range: asked before {@code --from}, or (for events without
     * a request context, such as review commands) not read at all.
     */
    public long carriedOver() {
        return carriedOver;
    }

    /** Events of requests asked at or after {@code --to}, skipped. */
    public long afterRange() {
        return afterRange;
    }

    /** Timelines the filters left out. */
    public long filteredOut() {
        return filteredOut;
    }

    /** Records that could not be decoded (each is a finding of verify). */
    public long undecodable() {
        return undecodable;
    }

    /** Events read after their request's timeline was already printed. */
    public long lateEvents() {
        return lateEvents;
    }

    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    public double recordsPerSecond() {
        return elapsedNanos == 0 ? 0 : records / elapsedSeconds();
    }
}
