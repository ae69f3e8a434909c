package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * Task-augmented sampling (2025-11-25 tasks) with server-everything's {@code trigger-sampling-request-async}: the
 * broker declares {@code tasks.requests.sampling.createMessage}, answers the request with a task, and the server
 * polls it until the answer, which takes longer than a synchronous wait would allow, is there.
 */
@ExtendWith(KafkaStackExtension.class)
class SamplingTasksIT {

    @Test
    void givenAServerThatSamplesAsATask_whenTheAnswerComesAfterSomePolls_thenTheServerFetchesItAndItIsDelivered(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "tasks");
        // The synchronous deadline (3 s) is shorter than the answer takes (6 s): only the task's ttl lets it wait.
        try (WorkerStandIn slow = new WorkerStandIn(kafka, WorkerStandIn.after(Duration.ofSeconds(6),
                        WorkerStandIn::echo));
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-t1", GatewayIT.stdioEverything(),
                        Duration.ofSeconds(3)))) {
            TestPeers.ClientResult result = TestPeers.runHost("v1-client.mjs", broker.mcpUrl("everything"),
                    "trigger-sampling-request-async", "{\"prompt\":\"take your time\",\"maxTokens\":30}",
                    List.of("--sampling", "none"), Map.of(), Duration.ofSeconds(90));

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("[COMPLETED] Async sampling completed!")
                    .contains("Poll 1: working").contains("stand-in answer for host")
                    .contains("take your time");
            SamplingRequested request = slow.seen().get(0);
            assertThat(request.getParams().getTask()).as("the task is part of the recorded params").isNotNull();
            assertThat(Duration.between(request.getContext().getRequestedAt(), request.getContext().getDeadline()))
                    .as("the server's ttl, not the synchronous deadline").isEqualTo(Duration.ofMinutes(5));
            List<SpecificRecord> lifecycle = GatewayIT.lifecycleEvents(stack, kafka, 1);
            assertThat(lifecycle).singleElement().isInstanceOfSatisfying(SamplingDelivered.class,
                    delivered -> assertThat(delivered.getErrorCode()).isNull());
        }
    }
}
