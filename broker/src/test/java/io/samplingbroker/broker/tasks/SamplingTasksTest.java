package io.samplingbroker.broker.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.sampling.SamplingOutcome;
import io.vertx.core.json.JsonObject;

class SamplingTasksTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private final List<JsonRpcMessage> toServer = new ArrayList<>();
    private final List<SamplingOutcome.Reply> delivered = new ArrayList<>();
    private final SamplingTasks tasks = new SamplingTasks(Clock.fixed(START, ZoneOffset.UTC), toServer::add,
            delivered::add);
    private final CompletableFuture<SamplingOutcome> outcome = new CompletableFuture<>();

    @Test
    void givenATaskRequest_whenStarted_thenTheServerGetsAWorkingTaskAndItsTtlIsCappedByTheBroker() {
        JsonRpcMessage request = request(300_000);

        JsonRpcMessage created = tasks.start("req-1", request, SamplingTasks.taskTtl(request, Duration.ofHours(1)),
                outcome);

        JsonObject task = created.json().getJsonObject("result").getJsonObject("task");
        assertThat(created.idJson()).isEqualTo("\"s-1\"");
        assertThat(task.getString("taskId")).isEqualTo("req-1");
        assertThat(task.getString("status")).isEqualTo("working");
        assertThat(task.getLong("ttl")).isEqualTo(300_000);
        assertThat(task.getString("createdAt")).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(SamplingTasks.taskTtl(request(86_400_000), Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        assertThat(SamplingTasks.taskTtl(JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", 1)
                .put("method", "sampling/createMessage").put("params", new JsonObject())), Duration.ofHours(1))).isNull();
    }

    @Test
    void givenAWorkingTask_whenTheAnswerArrives_thenTheServerIsNotifiedAndTasksResultDeliversIt() throws Exception {
        tasks.start("req-1", request(60_000), Duration.ofMinutes(1), outcome);
        CompletionStage<JsonRpcMessage> waiting = tasks.answer(poll(7, "tasks/result", "req-1"), id -> { });
        assertThat(waiting.toCompletableFuture()).isNotDone();

        SamplingOutcome.Reply reply = new SamplingOutcome.Reply("req-1", null, JsonRpc.result("\"s-1\"",
                "{\"role\":\"assistant\",\"model\":\"m\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}"), null);
        outcome.complete(reply);

        assertThat(toServer).singleElement().satisfies(notification -> {
            assertThat(notification.method()).isEqualTo("notifications/tasks/status");
            assertThat(notification.params().getString("status")).isEqualTo("completed");
        });
        JsonObject result = waiting.toCompletableFuture().get().json().getJsonObject("result");
        assertThat(result.getString("model")).isEqualTo("m");
        assertThat(result.getJsonObject("_meta").getJsonObject(SamplingTasks.RELATED_TASK).getString("taskId"))
                .isEqualTo("req-1");
        assertThat(delivered).containsExactly(reply);
        assertThat(tasks.answer(poll(8, "tasks/get", "req-1"), id -> { }).toCompletableFuture().get().json()
                .getJsonObject("result").getString("status")).isEqualTo("completed");
    }

    @Test
    void givenADeniedTask_whenPolled_thenItFailedWithTheReasonAndTasksResultIsTheError() throws Exception {
        tasks.start("req-1", request(60_000), Duration.ofMinutes(1), outcome);
        outcome.complete(new SamplingOutcome.Reply("req-1", null, JsonRpc.error("\"s-1\"", -1,
                "User rejected sampling request", null), -1));

        JsonObject status = tasks.answer(poll(2, "tasks/get", "req-1"), id -> { }).toCompletableFuture().get().json()
                .getJsonObject("result");
        assertThat(status.getString("status")).isEqualTo("failed");
        assertThat(status.getString("statusMessage")).isEqualTo("User rejected sampling request");
        assertThat(tasks.answer(poll(3, "tasks/result", "req-1"), id -> { }).toCompletableFuture().get().json()
                .getJsonObject("error").getInteger("code")).isEqualTo(-1);
    }

    @Test
    void givenAWorkingTask_whenTheServerCancelsIt_thenItsSamplingIsCancelledAndItEndsCancelled() throws Exception {
        tasks.start("req-1", request(60_000), Duration.ofMinutes(1), outcome);
        List<String> cancelled = new ArrayList<>();

        CompletionStage<JsonRpcMessage> answer = tasks.answer(poll(4, "tasks/cancel", "req-1"), cancelled::add);
        outcome.complete(new SamplingOutcome.NoReply("req-1", "the server cancelled the task"));

        assertThat(cancelled).containsExactly("\"s-1\"");
        assertThat(answer.toCompletableFuture().get().json().getJsonObject("result").getString("status"))
                .isEqualTo("cancelled");
        assertThat(tasks.answer(poll(5, "tasks/cancel", "req-1"), cancelled::add).toCompletableFuture().get().json()
                .getJsonObject("error").getString("message")).contains("already cancelled");
        assertThat(tasks.answer(poll(6, "tasks/list", null), id -> { }).toCompletableFuture().get().json()
                .getJsonObject("result").getJsonArray("tasks")).hasSize(1);
    }

    @Test
    void givenTasksOfTheHost_whenTheServerAsksAboutThem_thenTheBrokerLeavesThemToTheHost() {
        tasks.start("req-1", request(60_000), Duration.ofMinutes(1), outcome);

        assertThat(tasks.answers(poll(1, "tasks/get", "req-1"))).isTrue();
        assertThat(tasks.answers(poll(1, "tasks/get", "host-task-9"))).isFalse();
        assertThat(tasks.answers(poll(1, "tasks/get", null))).isFalse();
        assertThat(tasks.answers(poll(1, "tools/list", null))).isFalse();
    }

    private static JsonRpcMessage request(long ttl) {
        return JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", "s-1")
                .put("method", "sampling/createMessage").put("params", new JsonObject()
                        .put("task", new JsonObject().put("ttl", ttl)).put("maxTokens", 5)));
    }

    private static JsonRpcMessage poll(int id, String method, String taskId) {
        JsonObject params = new JsonObject();
        if (taskId != null) {
            params.put("taskId", taskId);
        }
        return JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method)
                .put("params", params));
    }
}
