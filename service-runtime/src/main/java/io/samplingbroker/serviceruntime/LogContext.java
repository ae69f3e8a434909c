package io.samplingbroker.serviceruntime;

import org.slf4j.MDC;

import io.samplingbroker.events.SamplingContext;

/**
 * Puts who a sampling request is for on every log line written while it is handled (the JSON layout's
 * {@code request_id}, {@code trace_id}, {@code host}, {@code tenant}, {@code server}): ids and names, never content.
 * Opened where a thread starts work on one request and closed when it stops, so a pooled thread carries nothing over:
 * <pre>
 * try (LogContext ignored = LogContext.of(request.getContext())) { ... }
 * </pre>
 */
public final class LogContext implements AutoCloseable {

    public static final String REQUEST_ID = "request_id";
    public static final String TRACE_ID = "trace_id";
    public static final String HOST = "host";
    public static final String TENANT = "tenant";
    public static final String SERVER = "server";
    private static final String[] KEYS = {REQUEST_ID, TRACE_ID, HOST, TENANT, SERVER};

    private final String[] previous = new String[KEYS.length];

    private LogContext() {
        for (int i = 0; i < KEYS.length; i++) {
            previous[i] = MDC.get(KEYS[i]);
        }
    }

    /** The request's ids on this thread's log lines until closed (a null context puts nothing). */
    public static LogContext of(SamplingContext context) {
        LogContext opened = new LogContext();
        if (context != null) {
            put(REQUEST_ID, context.getRequestId());
            put(TRACE_ID, context.getTraceId());
            put(HOST, context.getHostId());
            put(TENANT, context.getTenant());
            put(SERVER, context.getServerName());
        }
        return opened;
    }

    private static void put(String key, CharSequence value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value.toString());
        }
    }

    /** Restores what the thread had before: a nested context gives the outer one back. */
    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) {
            put(KEYS[i], previous[i]);
        }
    }
}
