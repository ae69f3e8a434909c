package io.samplingbroker.broker.mcp;

import java.util.Set;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.vertx.core.json.JsonObject;

/** The host calls a 2026-07-28 server may answer with {@code input_required}, and what each is about. */
public final class Calls {

    /** The methods whose result may ask for input (SEP-2322). */
    public static final Set<String> ASKING_FOR_INPUT = Set.of("tools/call", "prompts/get", "resources/read");

    private Calls() {
    }

    /**
     * What the call names, as the {@code Mcp-Name} header carries it: the tool or prompt name, or the resource URI;
     * null for other methods or when absent.
     */
    public static String nameOf(JsonRpcMessage request) {
        JsonObject params = request.params();
        if (params == null || request.method() == null) {
            return null;
        }
        Object name = switch (request.method()) {
            case "tools/call", "prompts/get" -> params.getValue("name");
            case "resources/read" -> params.getValue("uri");
            default -> null;
        };
        return name instanceof String text ? text : null;
    }

    /**
     * The W3C {@code traceparent} a host's call belongs to: its own {@code _meta.traceparent} (MCP's place for it,
     * which any transport carries), else the {@code traceparent} HTTP header it came with; null when neither.
     */
    public static String traceParentOf(JsonRpcMessage call, String httpHeader) {
        if (call.params() != null && call.params().getValue("_meta") instanceof JsonObject meta
                && meta.getValue("traceparent") instanceof String traceParent) {
            return traceParent;
        }
        return httpHeader;
    }
}
