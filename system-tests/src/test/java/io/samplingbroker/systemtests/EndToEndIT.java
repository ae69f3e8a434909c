package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * The whole product on real Kafka and a real registry: the broker, the approval-worker and the model-worker, in
 * front of the real server-everything from npm, driven by the real TypeScript SDK client.
 */
@ExtendWith(KafkaStackExtension.class)
class EndToEndIT {

    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration EVENTS_TIMEOUT = Duration.ofSeconds(20);

    static Map<String, UpstreamSpec> stdioEverything() {
        return Map.of("everything", new UpstreamSpec.Stdio("everything", TestPeers.serverEverything("stdio"), Map.of(), null));
    }

    @Test
    void givenServerEverythingOverStdio_whenTheHostSamples_thenTheOfflineModelAnswersAndEveryEventIsOnTheTopicsInOrder(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null, stdioEverything(),
                1, Duration.ofSeconds(30))) {
            // When
            TestPeers.ClientResult result = TestPeers.runClient(List.of("http", services.broker().mcpUrl("everything"),
                    "What is MCP sampling?", "200"), Map.of("HOST_ID", "vscode-alice"), CLIENT_TIMEOUT);

            // Then the tool result holds the offline model's completion
            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("offline-echo").contains("What is MCP sampling?");
            // and the request's history is on the topics, stage by stage
            SamplingTopics topics = services.kafka.samplingTopics();
            String key = services.firstKey(topics.requests(), EVENTS_TIMEOUT);
            List<SamplingRequested> requests = services.requested(key, 1, EVENTS_TIMEOUT);
            String requestId = requests.get(0).getContext().getRequestId();
            assertThat(requests.get(0).getContext().getHostId()).isEqualTo("vscode-alice");
            assertThat(requests.get(0).getParams().getMaxTokens()).isEqualTo(200);
            List<SamplingDecided> decisions = services.events(topics.decisions(), requestId, 1, EVENTS_TIMEOUT);
            assertThat(decisions).singleElement().extracting(SamplingDecided::getDecision).isEqualTo(Decision.APPROVED);
            List<SpecificRecord> completions = services.events(topics.completions(), requestId, 1, EVENTS_TIMEOUT);
            assertThat(completions).singleElement().isInstanceOfSatisfying(SamplingCompleted.class,
                    completed -> assertThat(completed.getCreateMessageResult().getModel()).isEqualTo("offline-echo"));
            assertThat(services.events(topics.lifecycle(), requestId, 1, EVENTS_TIMEOUT)).singleElement()
                    .isInstanceOfSatisfying(SamplingDelivered.class, d -> assertThat(d.getErrorCode()).isNull());
            assertThat(services.events(topics.results(), requestId, 1, Duration.ofSeconds(2)))
                    .as("the broker answered from the completion: nothing else is written").isEmpty();
            assertThat(List.of(requests.get(0).getOccurredAt(), decisions.get(0).getOccurredAt(),
                    ((SamplingCompleted) completions.get(0)).getOccurredAt())).isSorted();
            // and the recorder saw each stage's writer (close() fails the test on a write outside the table)
            assertThat(services.topicWrites()).contains("broker -> requests", "approval-worker -> decisions",
                    "model-worker -> completions", "broker -> lifecycle").doesNotContain("model-worker -> results");
        }
    }

    @Test
    void givenServerEverythingOverStreamableHttp_whenTheHostSamples_thenTheOfflineModelAnswers(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        try (TestPeers.HttpPeer everything = TestPeers.startServerEverythingHttp(LoopbackPorts.freePort())) {
            Map<String, UpstreamSpec> servers = Map.of("everything-http", new UpstreamSpec.Http("everything-http",
                    java.net.URI.create(everything.url()), Map.of()));
            try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null, servers, 1,
                    Duration.ofSeconds(30))) {
                TestPeers.ClientResult result = TestPeers.runClient(List.of("http",
                        services.broker().mcpUrl("everything-http"), "Hello over Streamable HTTP", "50"), Map.of(),
                        CLIENT_TIMEOUT);

                assertThat(result.ok()).as(result.output()).isTrue();
                assertThat(result.output()).contains("offline-echo").contains("Hello over Streamable HTTP");
            }
        }
    }

    @Test
    void givenTheStdioFront_whenAStdioHostSamples_thenTheOfflineModelAnswersThroughTheRealWorkers(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null, Map.of(), 1,
                Duration.ofSeconds(30))) {
            List<String> args = new ArrayList<>(List.of("stdio", "Hello from a stdio host", "30",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), io.samplingbroker.broker.stdio.StdioFrontMain.class.getName(),
                    "--host-id", "claude-desktop-carol", "--server-name", "everything", "--"));
            args.addAll(TestPeers.serverEverything("stdio"));

            // the stdio front is a broker: it runs as the broker's Kafka user, with the broker's ACLs only
            Map<String, String> environment = new java.util.HashMap<>(stack.clientEnvironment("broker"));
            environment.putAll(Map.of("SAMPLING_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                    "SAMPLING_TOPICS_PREFIX", services.kafka.topics().prefix(), "SAMPLING_TOPICS_PARTITIONS", "2"));
            TestPeers.ClientResult result = TestPeers.runClient(args, environment, CLIENT_TIMEOUT);

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("offline-echo").contains("Hello from a stdio host");
            SamplingTopics topics = services.kafka.samplingTopics();
            String requestId = services.firstKey(topics.requests(), EVENTS_TIMEOUT);
            assertThat(services.requested(requestId, 1, EVENTS_TIMEOUT).get(0).getContext().getHostId())
                    .isEqualTo("claude-desktop-carol");
        }
    }

    @Test
    void givenADenyRule_whenTheServerAsks_thenItGetsUserRejectedAndItsToolResultReportsIt(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        String policy = """
                defaultAction:
                  action: approve
                rules:
                  - id: no-secrets
                    when:
                      textMatches: ['(?i)password']
                    action: deny
                    reason: Prompts with passwords are not sent to models.
                """;
        try (SamplingStack services = SamplingStack.start(stack, dir, policy, null, stdioEverything(), 1,
                Duration.ofSeconds(30))) {
            TestPeers.ClientResult denied = TestPeers.runClient(List.of("http", services.broker().mcpUrl("everything"),
                    "my password is hunter2", "20"), Map.of(), CLIENT_TIMEOUT);
            TestPeers.ClientResult allowed = TestPeers.runClient(List.of("http", services.broker().mcpUrl("everything"),
                    "nothing secret here", "20"), Map.of(), CLIENT_TIMEOUT);

            assertThat(denied.ok()).as(denied.output()).isFalse();
            assertThat(denied.output()).contains("User rejected sampling request").doesNotContain("offline-echo");
            assertThat(allowed.ok()).as(allowed.output()).isTrue();
        }
    }

    @Test
    void givenARateLimitOfTwoPerMinute_whenAHostAsksThreeTimes_thenTheThirdIsDenied(KafkaStack stack, @TempDir Path dir)
            throws Exception {
        String policy = """
                defaultAction:
                  action: approve
                rules:
                  - id: two-per-minute
                    rateLimit:
                      per: host
                      requestsPerMinute: 2
                    action: deny
                    reason: Too many sampling requests from this host.
                """;
        try (SamplingStack services = SamplingStack.start(stack, dir, policy, null, stdioEverything(), 1,
                Duration.ofSeconds(30))) {
            // Rate windows are UTC minutes: start early in one, so the three calls share it.
            int second = java.time.LocalTime.now(java.time.ZoneOffset.UTC).getSecond();
            if (second >= 35) {
                Thread.sleep((61 - second) * 1_000L);
            }
            List<TestPeers.ClientResult> results = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                results.add(TestPeers.runClient(List.of("http", services.broker().mcpUrl("everything"), "call " + i, "20"),
                        Map.of("HOST_ID", "busy-host"), CLIENT_TIMEOUT));
            }

            assertThat(results.get(0).ok()).as(results.get(0).output()).isTrue();
            assertThat(results.get(1).ok()).as(results.get(1).output()).isTrue();
            assertThat(results.get(2).ok()).isFalse();
            assertThat(results.get(2).output()).contains("User rejected sampling request");
        }
    }

    @Test
    void givenTwoBrokerInstances_whenSessionsOnBothSampleConcurrently_thenEachAnswerReachesItsOwnSession(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null, stdioEverything(),
                2, Duration.ofSeconds(30))) {
            List<CompletableFuture<TestPeers.ClientResult>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String url = services.brokers.get(i % 2).mcpUrl("everything");
                String prompt = "unique-prompt-" + i;
                calls.add(CompletableFuture.supplyAsync(() -> TestPeers.runClient(List.of("http", url, prompt, "20"),
                        Map.of(), CLIENT_TIMEOUT)));
            }
            for (int i = 0; i < 4; i++) {
                TestPeers.ClientResult result = calls.get(i).get();
                assertThat(result.ok()).as(result.output()).isTrue();
                assertThat(result.output()).contains("unique-prompt-" + i);
                for (int j = 0; j < 4; j++) {
                    if (j != i) {
                        assertThat(result.output()).doesNotContain("unique-prompt-" + j);
                    }
                }
            }
        }
    }
}
