package io.samplingbroker.audit.verify;

/**
 * One thing wrong with the history, precise enough to find the records again.
 *
 * @param check the check that found it
 * @param requestId the request concerned, or null (a whole partition)
 * @param where topic, partition and offset of the records concerned ({@code topic[p]@offset}, comma-separated)
 * @param message what is wrong, in words
 */
public record Finding(String check, String requestId, String where, String message) {

    public String describe() {
        return check + ": " + (requestId == null ? "" : "request " + requestId + ": ") + message
                + (where == null || where.isEmpty() ? "" : " [" + where + "]");
    }
}
