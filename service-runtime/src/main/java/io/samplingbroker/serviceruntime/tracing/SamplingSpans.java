package io.samplingbroker.serviceruntime.tracing;

import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.samplingbroker.events.SamplingContext;

/**
 * The span attributes every service uses (OpenTelemetry's MCP, JSON-RPC and GenAI conventions where they have a
 * name, {@code sampling.*} otherwise), and the start of a worker's span for an event it read. Attributes are ids,
 * names, sizes, decisions and codes: never a prompt or a completion.
 */
public final class SamplingSpans {

    public static final AttributeKey<String> MCP_METHOD = AttributeKey.stringKey("mcp.method.name");
    public static final AttributeKey<String> MCP_PROTOCOL_VERSION = AttributeKey.stringKey("mcp.protocol.version");
    public static final AttributeKey<Long> JSON_RPC_CODE = AttributeKey.longKey("rpc.jsonrpc.error_code");
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("sampling.request_id");
    public static final AttributeKey<String> HOST = AttributeKey.stringKey("sampling.host");
    public static final AttributeKey<String> TENANT = AttributeKey.stringKey("sampling.tenant");
    public static final AttributeKey<String> SERVER = AttributeKey.stringKey("sampling.server");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("sampling.outcome");
    public static final AttributeKey<String> DECISION = AttributeKey.stringKey("sampling.decision");
    public static final AttributeKey<String> DECIDED_BY = AttributeKey.stringKey("sampling.decided_by");
    public static final AttributeKey<String> REVIEW_STAGE = AttributeKey.stringKey("sampling.review.stage");
    public static final AttributeKey<String> REVIEW_STATE = AttributeKey.stringKey("sampling.review.state");
    public static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<Long> GEN_AI_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    public static final AttributeKey<Long> GEN_AI_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> GEN_AI_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

    private SamplingSpans() {
    }

    /**
     * Starts a worker's span for a request's event read from Kafka, under the span the event was written under
     * ({@code headers}); a record without one (written by a service that does not trace) leaves the span unrecorded.
     */
    public static Span startFor(Tracer tracer, String name, SamplingContext request, Headers headers) {
        Context parent = TraceHeaders.extract(headers);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            // in the request's trace still, unsampled: what the broker decided for it
            parent = Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(request.getTraceId(),
                    "0000000000000001", TraceFlags.getDefault(), TraceState.getDefault())));
        }
        return startFor(tracer, name, request, parent);
    }

    /** As above, under {@code parent}. */
    public static Span startFor(Tracer tracer, String name, SamplingContext request, Context parent) {
        Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(REQUEST_ID, request.getRequestId())
                .setAttribute(HOST, request.getHostId())
                .setAttribute(SERVER, request.getServerName())
                .startSpan();
        if (request.getTenant() != null) {
            span.setAttribute(TENANT, request.getTenant());
        }
        return span;
    }
}
