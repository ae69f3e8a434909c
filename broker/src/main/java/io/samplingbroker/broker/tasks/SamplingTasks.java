package io.samplingbroker.broker.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Task-augmented sampling (MCP 2025-11-25, SEP-1686) for one session: a server that sends
 * {@code sampling/createMessage} with {@code task: {ttl}} gets a {@code CreateTaskResult} at once and polls. A task is
 * the sampling request itself (its id is the request id of its events), and its status is the request's outcome as
 * the broker read it from Kafka: working while it waits, then completed, failed or cancelled; nothing else is kept.
 */
public final class SamplingTasks {

    /** Where a task's status is named in results and notifications. */
    public static final String RELATED_TASK = "io.modelcontextprotocol/related-task";
    static final long POLL_INTERVAL_MS = 1_000;

    private final Clock clock;
    private final Consumer<JsonRpcMessage> toServer;
    private final Consumer<SamplingOutcome.Reply> delivered;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    private static final class Task {
        final String taskId;
        final String samplingIdJson;
        final Instant createdAt;
        final Duration ttl;
        final CompletableFuture<SamplingOutcome> outcome;
        volatile Instant lastUpdatedAt;

        Task(String taskId, String samplingIdJson, Instant createdAt, Duration ttl,
                CompletableFuture<SamplingOutcome> outcome) {
            this.taskId = taskId;
            this.samplingIdJson = samplingIdJson;
            this.createdAt = createdAt;
            this.ttl = ttl;
            this.outcome = outcome;
            this.lastUpdatedAt = createdAt;
        }
    }

    /**
     * @param toServer sends the task's status notifications to the server
     * @param delivered called with a task's reply once the server has fetched it ({@code tasks/result})
     */
    public SamplingTasks(Clock clock, Consumer<JsonRpcMessage> toServer, Consumer<SamplingOutcome.Reply> delivered) {
        this.clock = clock;
        this.toServer = toServer;
        this.delivered = delivered;
    }

    /** The ttl a sampling request asks for as a task, or null when it is not task-augmented. */
    public static Duration taskTtl(JsonRpcMessage request, Duration longest) {
        JsonObject params = request.params();
        if (params == null || !(params.getValue("task") instanceof JsonObject task)) {
            return null;
        }
        Object ttl = task.getValue("ttl");
        Duration asked = ttl instanceof Number millis && millis.longValue() > 0 ? Duration.ofMillis(millis.longValue())
                : longest;
        return asked.compareTo(longest) > 0 ? longest : asked;
    }

    /**
     * Starts the task of a submitted request and returns the {@code CreateTaskResult} that answers it; when the outcome
     * arrives, the server is told with {@code notifications/tasks/status}.
     */
    public JsonRpcMessage start(String requestId, JsonRpcMessage request, Duration ttl,
            CompletionStage<SamplingOutcome> outcome) {
        prune();
        Task task = new Task(requestId, request.idJson(), clock.instant(), ttl, outcome.toCompletableFuture());
        tasks.put(requestId, task);
        task.outcome.thenAccept(done -> {
            task.lastUpdatedAt = clock.instant();
            toServer.accept(JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0")
                    .put("method", "notifications/tasks/status").put("params", describe(task))));
        });
        return JsonRpc.result(request.idJson(), new JsonObject().put("task", describe(task)).encode());
    }

    /** Whether {@code request} is a server's {@code tasks/*} request about one of this session's sampling tasks. */
    public boolean answers(JsonRpcMessage request) {
        String method = request.method();
        if (method == null || !method.startsWith("tasks/")) {
            return false;
        }
        String taskId = taskIdOf(request);
        return method.equals("tasks/list") || taskId != null && tasks.containsKey(taskId);
    }

    /**
     * The answer to a {@code tasks/get}, {@code tasks/result} (which waits for the outcome), {@code tasks/list} or
     * {@code tasks/cancel}.
     *
     * @param cancel cancels the sampling request whose JSON-RPC id (as JSON text) it is given
     */
    public CompletionStage<JsonRpcMessage> answer(JsonRpcMessage request, Consumer<String> cancel) {
        String id = request.idJson();
        if (request.method().equals("tasks/list")) {
            JsonArray list = new JsonArray();
            tasks.values().forEach(task -> list.add(describe(task)));
            return done(JsonRpc.result(id, new JsonObject().put("tasks", list).encode()));
        }
        Task task = tasks.get(taskIdOf(request));
        return switch (request.method()) {
            case "tasks/get" -> done(JsonRpc.result(id, describe(task).encode()));
            case "tasks/result" -> task.outcome.thenApply(outcome -> resultOf(task, id, outcome));
            case "tasks/cancel" -> {
                if (task.outcome.isDone()) {
                    yield done(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Task " + task.taskId + " is already "
                            + status(task) + " and cannot be cancelled", null));
                }
                cancel.accept(task.samplingIdJson);
                yield task.outcome.thenApply(outcome -> JsonRpc.result(id, describe(task).encode()));
            }
            default -> done(JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "Unknown task method " + request.method(), null));
        };
    }

    private JsonRpcMessage resultOf(Task task, String idJson, SamplingOutcome outcome) {
        if (!(outcome instanceof SamplingOutcome.Reply reply)) {
            return JsonRpc.error(idJson, JsonRpc.INVALID_PARAMS, "Task " + task.taskId + " was cancelled", null);
        }
        delivered.accept(reply);
        JsonObject answer = reply.message().json();
        if (answer.getValue("error") instanceof JsonObject error) {
            return JsonRpc.error(idJson, error.getInteger("code"), error.getString("message"),
                    error.getValue("data") == null ? null : Json.encode(error.getValue("data")));
        }
        JsonObject result = answer.getJsonObject("result").copy();
        JsonObject meta = result.getJsonObject("_meta", new JsonObject());
        result.put("_meta", meta.put(RELATED_TASK, new JsonObject().put("taskId", task.taskId)));
        return JsonRpc.result(idJson, result.encode());
    }

    private JsonObject describe(Task task) {
        JsonObject described = new JsonObject().put("taskId", task.taskId).put("status", status(task))
                .put("ttl", task.ttl.toMillis()).put("createdAt", task.createdAt.toString())
                .put("lastUpdatedAt", task.lastUpdatedAt.toString()).put("pollInterval", POLL_INTERVAL_MS);
        SamplingOutcome outcome = task.outcome.getNow(null);
        if (outcome instanceof SamplingOutcome.Reply reply && reply.message().json().getValue("error")
                instanceof JsonObject error) {
            described.put("statusMessage", error.getString("message"));
        } else if (outcome instanceof SamplingOutcome.NoReply none) {
            described.put("statusMessage", none.reason());
        }
        return described;
    }

    private static String status(Task task) {
        SamplingOutcome outcome = task.outcome.getNow(null);
        if (outcome == null) {
            return "working";
        }
        if (outcome instanceof SamplingOutcome.NoReply) {
            return "cancelled";
        }
        return ((SamplingOutcome.Reply) outcome).errorCode() == null ? "completed" : "failed";
    }

    /** Tasks are kept for their ttl from creation, as SEP-1686 lets a receiver do; later polls name no task. */
    private void prune() {
        Instant now = clock.instant();
        tasks.values().removeIf(task -> task.outcome.isDone() && task.createdAt.plus(task.ttl).isBefore(now));
    }

    private static String taskIdOf(JsonRpcMessage request) {
        return JsonMembers.string(request.params(), "taskId");
    }

    private static CompletionStage<JsonRpcMessage> done(JsonRpcMessage message) {
        return CompletableFuture.completedFuture(message);
    }
}
