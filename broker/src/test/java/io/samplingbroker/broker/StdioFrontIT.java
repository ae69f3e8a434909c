package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.stdio.StdioFrontMain;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/** The stdio front, launched by the real TypeScript SDK client as if it were the server, in front of server-everything. */
@ExtendWith(KafkaStackExtension.class)
class StdioFrontIT {

    @Test
    void givenTheStdioFront_whenAStdioHostCallsTheSamplingTool_thenTheBrokerAnswersAndTheServerSeesTheResult(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "stdio-front");
        String prefix = kafka.topics().prefix();
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo)) {
            List<String> args = new ArrayList<>(List.of("stdio", "over stdio", "48",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StdioFrontMain.class.getName(),
                    "--host-id", "claude-desktop-bob", "--server-name", "everything", "--"));
            args.addAll(TestPeers.serverEverything("stdio"));
            Map<String, String> environment = new java.util.HashMap<>(stack.clientEnvironment("admin"));
            environment.putAll(Map.of("SAMPLING_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                    "SAMPLING_TOPICS_PREFIX", prefix, "SAMPLING_TOPICS_PARTITIONS", "2"));
            TestPeers.ClientResult result = TestPeers.runClient(args, environment, Duration.ofSeconds(120));

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("stand-in answer for host claude-desktop-bob via everything")
                    .contains("over stdio");
            assertThat(worker.seen()).hasSize(1);
            assertThat(GatewayIT.lifecycleEvents(stack, kafka, 1)).singleElement().isInstanceOf(SamplingDelivered.class);
        }
    }
}
