package io.samplingbroker.benchmark.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;

/**
 * JSON-RPC parsing and relay on the broker's path: parse the server's text (Vert.x), then what the dispatcher does
 * with the params (re-encode, parse again with Jackson, map to Avro), and the way back to JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonRpcBenchmark {

    @Param({"1000", "20000"})
    public int promptBytes;

    private String text;
    private JsonRpcMessage message;
    private CreateMessageParams params;

    @Setup
    public void setUp() throws InvalidJsonRpcException {
        text = SampleEvents.requestText(promptBytes);
        message = JsonRpcMessage.parse(text);
        params = SamplingParamsJson.fromJson(McpJson.parse(message.params().encode()));
    }

    /** Vert.x parse of the whole message, as on every relayed message. */
    @Benchmark
    public JsonRpcMessage parse() throws InvalidJsonRpcException {
        return JsonRpcMessage.parse(text);
    }

    /** The dispatcher's path today: Vert.x parse, re-encode the params, Jackson parse, map to Avro. */
    @Benchmark
    public CreateMessageParams parseAndMapAsDispatcher() throws InvalidJsonRpcException {
        JsonRpcMessage parsed = JsonRpcMessage.parse(text);
        return SamplingParamsJson.fromJson(McpJson.parse(parsed.params().encode()));
    }

    /** For comparison: one Jackson parse of the text, then the same mapping (no second parse). */
    @Benchmark
    public CreateMessageParams parseOnceAndMap() {
        JsonNode root = McpJson.parse(text);
        return SamplingParamsJson.fromJson(root.get("params"));
    }

    @Benchmark
    public ObjectNode paramsToJson() {
        return SamplingParamsJson.toJson(params);
    }
}
