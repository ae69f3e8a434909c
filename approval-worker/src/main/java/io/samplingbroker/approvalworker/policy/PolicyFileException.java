package io.samplingbroker.approvalworker.policy;

/**
 * A policy file that cannot be used. The message starts with {@code <file>:<line>:<column>:} (as compilers and
 * {@code ConfigSource} write it, so editors can jump there) and names the field at fault. Stops start-up.
 */
public final class PolicyFileException extends IllegalArgumentException {

    private final int line;

    PolicyFileException(String source, int line, int column, String message) {
        super(source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message);
        this.line = line;
    }

    PolicyFileException(String source, String message) {
        this(source, -1, -1, message);
    }

    /** The 1-based line at fault, or -1 when the fault is not at one place (a missing or empty file). */
    public int line() {
        return line;
    }
}
