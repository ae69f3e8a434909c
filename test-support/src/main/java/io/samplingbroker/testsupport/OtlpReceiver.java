package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * An OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf, as a collector takes it): what services export to
 * it is decoded with OTLP's own messages and kept, so a test can look at the spans that really left each service.
 * A request it cannot decode is answered 400, as a collector does, and counted.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span, flattened: who sent it (the resource's {@code service.name}) and what it says. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            Span.SpanKind kind, Map<String, String> attributes, long startNanos, long endNanos, boolean error) {

        public String attribute(String key) {
            return attributes.get(key);
        }
    }

    private static final String PATH = "/v1/traces";
    private static final HexFormat HEX = HexFormat.of();

    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final boolean keep;
    private final LoopbackHttpServer server;

    private OtlpReceiver(boolean keep) {
        this.keep = keep;
        this.server = LoopbackHttpServer.start(PATH, this::handle, "the OTLP receiver");
    }

    /** Keeps every span it receives. */
    public static OtlpReceiver start() {
        return new OtlpReceiver(true);
    }

    /** Decodes and counts what it receives, keeping nothing: a collector's cost for a long load (the benchmark). */
    public static OtlpReceiver counting() {
        return new OtlpReceiver(false);
    }

    /** Spans received so far, kept or not. */
    public long spanCount() {
        return received.get();
    }

    /** Where to export: {@code http://127.0.0.1:<port>/v1/traces}. */
    public String tracesUrl() {
        return server.url(PATH);
    }

    /** Every span received so far, in arrival order. */
    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The spans received so far, grouped by trace id. */
    public Map<String, List<ReceivedSpan>> traces() {
        return spans.stream().collect(Collectors.groupingBy(ReceivedSpan::traceId));
    }

    /** Why each refused export was refused (none, when every exporter spoke OTLP). */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!"POST".equals(exchange.getRequestMethod()) || !contentType.startsWith("application/x-protobuf")) {
                refuse(exchange, exchange.getRequestMethod() + " " + contentType
                        + ": only POST application/x-protobuf");
                return;
            }
            ExportTraceServiceRequest request;
            try {
                request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            } catch (InvalidProtocolBufferException e) {
                refuse(exchange, "not an ExportTraceServiceRequest: " + e.getMessage());
                return;
            }
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                String service = attributes(resourceSpans.getResource()).get("service.name");
                for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                    received.addAndGet(scope.getSpansCount());
                    if (keep) {
                        scope.getSpansList().forEach(span -> spans.add(flatten(service, span)));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private void refuse(HttpExchange exchange, String why) throws IOException {
        refused.add(why);
        exchange.sendResponseHeaders(400, -1);
    }

    private static ReceivedSpan flatten(String service, Span span) {
        Map<String, String> attributes = new TreeMap<>();
        for (KeyValue attribute : span.getAttributesList()) {
            attributes.put(attribute.getKey(), text(attribute.getValue()));
        }
        String parent = span.getParentSpanId().isEmpty() ? null : HEX.formatHex(span.getParentSpanId().toByteArray());
        return new ReceivedSpan(service, HEX.formatHex(span.getTraceId().toByteArray()),
                HEX.formatHex(span.getSpanId().toByteArray()), parent, span.getName(), span.getKind(),
                Map.copyOf(attributes), span.getStartTimeUnixNano(), span.getEndTimeUnixNano(),
                span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    }

    private static Map<String, String> attributes(Resource resource) {
        Map<String, String> attributes = new HashMap<>();
        resource.getAttributesList().forEach(kv -> attributes.put(kv.getKey(), text(kv.getValue())));
        return attributes;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpReceiver::text)
                    .collect(Collectors.joining(",", "[", "]"));
            default -> Objects.toString(value, "");
        };
    }

    /** Spans of {@code traceId} whose parent is not among them: one for a connected trace (its root). */
    public static List<ReceivedSpan> roots(List<ReceivedSpan> trace) {
        List<String> ids = trace.stream().map(ReceivedSpan::spanId).toList();
        List<ReceivedSpan> roots = new ArrayList<>();
        for (ReceivedSpan span : trace) {
            if (span.parentSpanId() == null || !ids.contains(span.parentSpanId())) {
                roots.add(span);
            }
        }
        return roots;
    }

    @Override
    public void close() {
        server.close();
    }
}
