package io.samplingbroker.serviceruntime.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.topics.Service;

class TraceHeadersTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

    @Test
    void givenARecordWrittenUnderASpan_whenRead_thenItsContextIsThatSpanAndRewritingReplacesIt() {
        RecordHeaders headers = new RecordHeaders();
        TraceHeaders.inject(TraceHeaders.fromTraceParent(PARENT), headers);
        TraceHeaders.inject(TraceHeaders.fromTraceParent(PARENT), headers);

        assertThat(headers.headers("traceparent")).as("one header, not two").hasSize(1);
        assertThat(TraceHeaders.traceParentOf(TraceHeaders.extract(headers))).isEqualTo(PARENT);
    }

    @Test
    void givenNoOrAMalformedTraceParent_whenRead_thenThereIsNoParent() {
        RecordHeaders malformed = new RecordHeaders();
        malformed.add("traceparent", "00-not-a-trace-01".getBytes(StandardCharsets.UTF_8));

        assertThat(TraceHeaders.traceParentOf(TraceHeaders.extract(new RecordHeaders()))).isNull();
        assertThat(TraceHeaders.traceParentOf(TraceHeaders.extract(malformed))).isNull();
        assertThat(TraceHeaders.traceParentOf(TraceHeaders.fromTraceParent(null))).isNull();
        assertThat(TraceHeaders.traceParentOf(TraceHeaders.fromTraceParent("garbage"))).isNull();
    }

    @Test
    void givenAServiceExporting_whenAWorkerSpanStartsForARecord_thenItIsAConsumerChildNamingTheRequest() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (ServiceTracing tracing = ServiceTracing.exportingTo(Service.MODEL_WORKER, spans)) {
            RecordHeaders headers = new RecordHeaders();
            TraceHeaders.inject(TraceHeaders.fromTraceParent(PARENT), headers);

            SamplingSpans.startFor(tracing.tracer(), "sampling complete", request(), headers).end();

            SpanData span = spans.getFinishedSpanItems().get(0);
            assertThat(span.getTraceId()).isEqualTo(TRACE);
            assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getResource().getAttribute(AttributeKey.stringKey(
                    "service.name"))).isEqualTo("model-worker");
            assertThat(span.getAttributes().get(SamplingSpans.REQUEST_ID)).isEqualTo("req-1");
            assertThat(span.getAttributes().get(SamplingSpans.TENANT)).isEqualTo("acme");
        }
    }

    @Test
    void givenARecordWithoutTraceContext_whenAWorkerSpanStarts_thenItStaysInTheRequestsTraceUnrecorded() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (ServiceTracing tracing = ServiceTracing.exportingTo(Service.APPROVAL_WORKER, spans)) {
            Span span = SamplingSpans.startFor(tracing.tracer(), "sampling decide", request(), new RecordHeaders());
            span.end();

            assertThat(span.getSpanContext().getTraceId()).isEqualTo(TRACE);
            assertThat(span.getSpanContext().isSampled()).isFalse();
            assertThat(spans.getFinishedSpanItems()).isEmpty();
        }
    }

    @Test
    void givenTracingOff_whenASpanStartsUnderAParent_thenTheParentsContextPassesThrough() {
        ServiceTracing off = ServiceTracing.off();
        Span span = off.tracer().spanBuilder("x").setParent(TraceHeaders.fromTraceParent(PARENT)).startSpan();

        assertThat(off.exporting()).isFalse();
        assertThat(TraceHeaders.traceParentOf(Context.root().with(span))).isEqualTo(PARENT);
    }

    private static SamplingContext request() {
        return SamplingContext.newBuilder().setRequestId("req-1").setTraceId(TRACE).setHostId("h").setTenant("acme")
                .setServerName("everything").setSessionId("s").setJsonRpcId("1")
                .setRequestedAt(Instant.EPOCH).setDeadline(Instant.EPOCH.plusSeconds(60))
                .setReplyRoute(new ReplyRoute("b", "results", null)).build();
    }
}
