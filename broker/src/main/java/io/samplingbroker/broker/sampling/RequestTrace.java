package io.samplingbroker.broker.sampling;

import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.serviceruntime.tracing.SamplingSpans;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;

/**
 * The broker's spans of one sampling request: {@code sampling/createMessage} from the moment the server's request
 * is accepted until its reply reached the server (or it ended without one), and within it {@code sampling deliver}
 * from the answer's arrival to the reply's delivery. The request span is what the request's events are written
 * under (their Kafka headers), so the workers' spans join it; its trace id is the one the events carry.
 * Thread-safe: the answer and the delivery may come on different threads.
 */
final class RequestTrace {

    /** For replies that are no request's: records nothing. */
    static final RequestTrace NONE = new RequestTrace(TracerProvider.noop().get("none"), Span.getInvalid(),
            Context.root());

    private final Tracer tracer;
    private final Span request;
    private final Context context;
    private volatile Span delivery;

    private RequestTrace(Tracer tracer, Span request, Context context) {
        this.tracer = tracer;
        this.request = request;
        this.context = context;
    }

    /**
     * Starts the request's span under {@code parent} (the host's or the server's trace; root for none). When no span
     * is recorded (tracing off, not sampled) the trace still has an id: the parent's, or a new one, which the events
     * and the workers' spans then share.
     */
    static RequestTrace start(Tracer tracer, Context parent, String requestId, SamplingOrigin origin) {
        Span span = tracer.spanBuilder("sampling/createMessage").setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(SamplingSpans.MCP_METHOD, "sampling/createMessage")
                .setAttribute(SamplingSpans.REQUEST_ID, requestId)
                .setAttribute(SamplingSpans.HOST, origin.hostId())
                .setAttribute(SamplingSpans.SERVER, origin.serverName())
                .startSpan();
        if (origin.serverProtocolVersion() != null) {
            span.setAttribute(SamplingSpans.MCP_PROTOCOL_VERSION, origin.serverProtocolVersion());
        }
        if (origin.host().tenant() != null) {
            span.setAttribute(SamplingSpans.TENANT, origin.host().tenant());
        }
        if (!span.getSpanContext().isValid()) {
            span = Span.wrap(newTrace());
        }
        return new RequestTrace(tracer, span, parent.with(span));
    }

    /** A trace of its own for a request that came without one, and whose span is not recorded. */
    private static SpanContext newTrace() {
        return SpanContext.createFromRemoteParent(RandomIds.traceId(), RandomIds.spanId(), TraceFlags.getDefault(),
                TraceState.getDefault());
    }

    /**
     * Continues a request on another instance (the host's answer to a forwarded request), under the broker's span
     * that forwarded it ({@code traceParent}, null when unknown).
     */
    static RequestTrace continuing(Tracer tracer, String traceParent, SamplingContext request) {
        Context parent = TraceHeaders.fromTraceParent(traceParent);
        Span span = tracer.spanBuilder("sampling host-answer").setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(SamplingSpans.REQUEST_ID, request.getRequestId()).startSpan();
        return new RequestTrace(tracer, span, parent.with(span));
    }

    /** The W3C trace id the request's events carry. */
    String traceId() {
        return request.getSpanContext().getTraceId();
    }

    /** The {@code traceparent} of the request span, for what must carry it outside Kafka (a sealed forward). */
    String traceParent() {
        return TraceHeaders.traceParentOf(context);
    }

    /** Puts the request span's context in the headers of one of its events. */
    void into(Headers headers) {
        TraceHeaders.inject(context, headers);
    }

    /** The request is answered with a reply the broker now sends: the delivery starts. */
    void replying(Integer errorCode) {
        if (errorCode != null) {
            request.setAttribute(SamplingSpans.JSON_RPC_CODE, errorCode.longValue());
            request.setStatus(StatusCode.ERROR, "JSON-RPC error " + errorCode);
        }
        delivery = tracer.spanBuilder("sampling deliver").setParent(context).setSpanKind(SpanKind.INTERNAL)
                .startSpan();
    }

    /** The reply reached the server ({@code reached}) or could not be written to it: both spans end. */
    void delivered(boolean reached) {
        Span current = delivery;
        if (current != null) {
            if (!reached) {
                current.setStatus(StatusCode.ERROR, "the reply could not be written to the server");
            }
            current.end();
        }
        request.setAttribute(SamplingSpans.OUTCOME, reached ? "delivered" : "undelivered");
        request.end();
    }

    /** The request ended without a reply to send (cancelled, abandoned, forwarded to the host): its span ends. */
    void ended(String outcome) {
        request.setAttribute(SamplingSpans.OUTCOME, outcome);
        request.end();
    }
}
