package io.samplingbroker.benchmark;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The upstream of the MRTR step: a 2026-07-28 server, just enough of one. {@code server/discover} names the revision;
 * {@code tools/call} of {@code bench} {@code {"n": N}} answers {@code input_required} asking for one sampling input
 * (the prompt {@code N} of {@link Prompts}), and the retry that brings the answer completes.
 */
public final class SessionlessUpstreamServer implements AutoCloseable {

    static final String TOOL = "bench";

    private final HttpServer server;
    private final Prompts prompts;

    private SessionlessUpstreamServer(Vertx vertx, Prompts prompts) {
        this.prompts = prompts;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
    }

    /** Listens on a free loopback port. */
    public static SessionlessUpstreamServer start(Vertx vertx, Prompts prompts) {
        SessionlessUpstreamServer upstream = new SessionlessUpstreamServer(vertx, prompts);
        upstream.server.listen(0, "127.0.0.1").await();
        return upstream;
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/mcp";
    }

    private void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            request.response().setStatusCode(405).end();
            return;
        }
        request.body().onSuccess(body -> answer(body, request.response()))
                .onFailure(failure -> request.response().setStatusCode(400).end());
    }

    private void answer(Buffer body, HttpServerResponse response) {
        JsonObject message = body.toJsonObject();
        JsonObject params = message.getJsonObject("params", new JsonObject());
        JsonObject result = switch (String.valueOf(message.getString("method"))) {
            case "server/discover" -> new JsonObject().put("supportedVersions", new JsonArray()
                    .add("2026-07-28")).put("capabilities", new JsonObject().put("tools", new JsonObject()))
                    .put("resultType", "complete");
            case "tools/call" -> params.containsKey("inputResponses") ? complete() : askForSampling(params);
            default -> null;
        };
        JsonObject reply = new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id"));
        if (result == null) {
            reply.put("error", new JsonObject().put("code", -32601).put("message", "Method not found"));
        } else {
            reply.put("result", result);
        }
        response.putHeader("Content-Type", "application/json").end(reply.encode());
    }

    private JsonObject askForSampling(JsonObject params) {
        long n = params.getJsonObject("arguments", new JsonObject()).getLong("n", 0L);
        return new JsonObject().put("resultType", "input_required")
                .put("inputRequests", new JsonObject().put("llm", new JsonObject()
                        .put("method", "sampling/createMessage").put("params", new JsonObject(prompts.params(n)))))
                .put("requestState", Long.toString(n));
    }

    private static JsonObject complete() {
        return new JsonObject().put("resultType", "complete").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "sampled")));
    }

    @Override
    public void close() {
        server.close().await();
    }
}
