package io.samplingbroker.serviceruntime.tracing;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of an event, in its Kafka record's headers: how one
 * request's trace crosses the services. Also reads a {@code traceparent} given as text (an HTTP header, MCP's
 * {@code _meta.traceparent}).
 */
public final class TraceHeaders {

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Headers> FROM_RECORD = new TextMapGetter<>() {
        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> TO_RECORD = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private TraceHeaders() {
    }

    /** The context of the span the record's event was written under; the root context when it names none. */
    public static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, FROM_RECORD);
    }

    /** Writes {@code context}'s span into the headers of a record about to be written (replacing any there). */
    public static void inject(Context context, Headers headers) {
        W3C.inject(context, headers, TO_RECORD);
    }

    /** The context a W3C {@code traceparent} names; the root context when it is null or malformed. */
    public static Context fromTraceParent(String traceParent) {
        if (traceParent == null) {
            return Context.root();
        }
        return W3C.extract(Context.root(), traceParent, new TextMapGetter<>() {
            @Override
            public String get(String carrier, String key) {
                return "traceparent".equals(key) ? carrier : null;
            }
        });
    }

    /** The {@code traceparent} of {@code context}'s span; null when it has no valid one. */
    public static String traceParentOf(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }
}
