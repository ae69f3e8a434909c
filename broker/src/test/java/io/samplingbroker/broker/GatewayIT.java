package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.Polling;
import io.samplingbroker.testsupport.TestPeers;

/**
 * The gateway in front of the real server-everything (npm), driven by the real TypeScript SDK client, on real Kafka
 * and a real registry; the workers' part is played by {@link WorkerStandIn}.
 */
@ExtendWith(KafkaStackExtension.class)
class GatewayIT {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void givenAStdioServer_whenTheHostCallsTheSamplingTool_thenTheBrokerAnswersFromTheResultsTopic(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = kafka(stack, "gw-stdio");
        Map<String, UpstreamSpec> servers = stdioEverything();
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(config(kafka, "broker-a", servers, Duration.ofSeconds(30)))) {
            // When
            TestPeers.ClientResult result = TestPeers.runClient(List.of("http", broker.mcpUrl("everything"),
                    "hello from stdio", "64"), Map.of("HOST_ID", "alice-laptop"), CLIENT_TIMEOUT);
            // Then
            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).contains("stand-in answer for host alice-laptop via everything")
                    .contains("hello from stdio").contains("stand-in-model");
            assertThat(worker.seen()).hasSize(1);
            assertThat(worker.seen().get(0).getParams().getMaxTokens()).isEqualTo(64);
            assertThat(worker.seen().get(0).getTriggeringToolCall()).isEqualTo("trigger-sampling-request");
            assertThat(lifecycleEvents(stack, kafka, 1)).singleElement().isInstanceOf(SamplingDelivered.class);
        }
    }

    @Test
    void givenAStreamableHttpServer_whenTheHostCallsTheSamplingTool_thenTheBrokerAnswersFromTheResultsTopic(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = kafka(stack, "gw-http");
        try (TestPeers.HttpPeer everything = TestPeers.startServerEverythingHttp(LoopbackPorts.freePort())) {
            Map<String, UpstreamSpec> servers = Map.of("everything-http", new UpstreamSpec.Http("everything-http",
                    java.net.URI.create(everything.url()), Map.of()));
            try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                    Broker broker = Broker.start(config(kafka, "broker-h", servers, Duration.ofSeconds(30)))) {
                TestPeers.ClientResult result = TestPeers.runClient(List.of("http", broker.mcpUrl("everything-http"),
                        "hello over http", "32"), Map.of(), CLIENT_TIMEOUT);

                assertThat(result.ok()).as(result.output()).isTrue();
                assertThat(result.output()).contains("stand-in answer for host ts-sdk-test-host via everything-http")
                        .contains("hello over http");
                assertThat(worker.seen()).hasSize(1);
            }
        }
    }

    @Test
    void givenManyCallsAtOnceInOneSession_whenEachMakesTheServerSample_thenEveryAnswerGetsAConnectionAndEveryCallEnds(
            KafkaStack stack) throws Exception {
        // Each call's answer streams back on its own POST, held open while the server samples; the sampling answers
        // need connections of their own. With Vert.x's default pool (5) this session hung until the client gave up.
        KafkaSettings kafka = kafka(stack, "gw-many");
        try (TestPeers.HttpPeer everything = TestPeers.startServerEverythingHttp(LoopbackPorts.freePort())) {
            Map<String, UpstreamSpec> servers = Map.of("everything-http", new UpstreamSpec.Http("everything-http",
                    java.net.URI.create(everything.url()), Map.of()));
            try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                    Broker broker = Broker.start(config(kafka, "broker-m", servers, Duration.ofSeconds(30)))) {
                TestPeers.ClientResult result = TestPeers.runClient(List.of("http", broker.mcpUrl("everything-http"),
                        "at once", "16"), Map.of("CALLS", "8", "CLIENT_TIMEOUT_MS", "20000"), CLIENT_TIMEOUT);

                assertThat(result.ok()).as(result.output()).isTrue();
                for (int i = 1; i <= 8; i++) {
                    assertThat(result.output()).contains("at once #" + i);
                }
                assertThat(worker.seen()).hasSize(8);
            }
        }
    }

    @Test
    void givenTwoBrokerInstances_whenSessionsOnBothSampleConcurrently_thenEveryResultReachesItsOwnSession(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = kafka(stack, "gw-two");
        Map<String, UpstreamSpec> servers = stdioEverything();
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker first = Broker.start(config(kafka, "broker-1", servers, Duration.ofSeconds(30)));
                Broker second = Broker.start(config(kafka, "broker-2", servers, Duration.ofSeconds(30)))) {
            List<CompletableFuture<TestPeers.ClientResult>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Broker broker = i % 2 == 0 ? first : second;
                String host = "host-" + i;
                String prompt = "prompt-" + i + "-for-" + broker.instanceId();
                calls.add(CompletableFuture.supplyAsync(() -> TestPeers.runClient(List.of("http",
                        broker.mcpUrl("everything"), prompt, "16"), Map.of("HOST_ID", host), CLIENT_TIMEOUT)));
            }
            for (int i = 0; i < 4; i++) {
                TestPeers.ClientResult result = calls.get(i).get();
                String instance = i % 2 == 0 ? "broker-1" : "broker-2";
                assertThat(result.ok()).as(result.output()).isTrue();
                assertThat(result.output()).contains("stand-in answer for host host-" + i + " ")
                        .contains("prompt-" + i + "-for-" + instance);
                for (int j = 0; j < 4; j++) {
                    if (j != i) {
                        assertThat(result.output()).doesNotContain("prompt-" + j + "-");
                    }
                }
            }
            assertThat(worker.seen()).hasSize(4);
        }
    }

    @Test
    void givenNoWorkerAnswers_whenTheDeadlinePasses_thenTheServerGetsAnErrorAndAnExpiredEventIsWritten(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = kafka(stack, "gw-expiry");
        Map<String, UpstreamSpec> servers = stdioEverything();
        try (WorkerStandIn silent = new WorkerStandIn(kafka, request -> Optional.empty());
                Broker broker = Broker.start(config(kafka, "broker-x", servers, Duration.ofSeconds(2)))) {
            TestPeers.ClientResult result = TestPeers.runClient(List.of("http", broker.mcpUrl("everything"),
                    "nobody answers", "16"), Map.of(), CLIENT_TIMEOUT);

            assertThat(result.output()).contains("Sampling request expired before an answer").contains("-32001");
            List<SpecificRecord> lifecycle = lifecycleEvents(stack, kafka, 2);
            assertThat(lifecycle).hasSize(2);
            assertThat(lifecycle.get(0)).isInstanceOf(SamplingExpired.class);
            assertThat(lifecycle.get(1)).isInstanceOfSatisfying(SamplingDelivered.class,
                    delivered -> assertThat(delivered.getErrorCode()).isEqualTo(-32001));
            assertThat(silent.seen()).hasSize(1);
            assertThat(((SamplingExpired) lifecycle.get(0)).getContext().getRequestId())
                    .isEqualTo(silent.seen().get(0).getContext().getRequestId());
            assertThat(broker.dispatcher().pendingCount()).isZero();
        }
    }

    @Test
    void givenTheServerCancelsItsSamplingRequest_whenTheResultArrivesLater_thenNothingIsSentAndACancelledEventIsWritten(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = kafka(stack, "gw-cancel");
        Map<String, UpstreamSpec> servers = stdioEverything();
        java.util.concurrent.CountDownLatch answerLater = new java.util.concurrent.CountDownLatch(1);
        try (WorkerStandIn slow = new WorkerStandIn(kafka, request -> {
                    try {
                        answerLater.await(100, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return WorkerStandIn.echo(request);
                });
                Broker broker = Broker.start(config(kafka, "broker-c", servers, Duration.ofSeconds(90)))) {
            // When: server-everything gives up on its sampling request after 60 s and sends notifications/cancelled
            // (the broker's deadline is set beyond that); the result only arrives after the cancel
            CompletableFuture<TestPeers.ClientResult> call = CompletableFuture.supplyAsync(() -> TestPeers.runClient(
                    List.of("http", broker.mcpUrl("everything"), "cancel me", "16"),
                    Map.of("CLIENT_TIMEOUT_MS", "120000"), Duration.ofSeconds(150)));
            List<SpecificRecord> lifecycle = lifecycleEventsWithin(kafka, 1, Duration.ofSeconds(80));
            answerLater.countDown();
            TestPeers.ClientResult result = call.get();

            // Then
            assertThat(result.output()).doesNotContain("stand-in answer");
            assertThat(lifecycle).singleElement().isInstanceOf(io.samplingbroker.events.SamplingCancelled.class);
            assertThat(slow.seen()).hasSize(1);
            assertThat(lifecycleEventsWithin(kafka, 2, Duration.ofSeconds(3))).as("no delivery after the cancel").hasSize(1);
            assertThat(broker.dispatcher().pendingCount()).isZero();
        }
    }

    /** server-everything over stdio as the broker's upstream server "everything". */
    static Map<String, UpstreamSpec> stdioEverything() {
        return Map.of("everything", new UpstreamSpec.Stdio("everything", TestPeers.serverEverything("stdio"), Map.of(), null));
    }

    /** Settings under a prefix of the test's own, its topics and schemas provisioned (the services only check). */
    static KafkaSettings kafka(KafkaStack stack, String name) {
        KafkaSettings kafka = KafkaSettings.of(stack.clientSettings(), stack.schemaRegistryUrl(),
                new TopicsConfig(KafkaStack.uniqueName(name) + ".", 2, (short) 1, -1, Map.of()));
        TopicProvisioning.provision(kafka, kafka.newRegistryClient(), null, Duration.ofSeconds(60));
        return kafka;
    }

    static BrokerConfig config(KafkaSettings kafka, String instanceId, Map<String, UpstreamSpec> servers,
            Duration deadline) {
        return new BrokerConfig(kafka, instanceId, "127.0.0.1", 0, deadline, Duration.ofMinutes(5), servers);
    }

    static List<SpecificRecord> lifecycleEvents(KafkaStack stack, KafkaSettings kafka, int count) {
        return lifecycleEventsWithin(kafka, count, Duration.ofSeconds(15));
    }

    static List<SpecificRecord> lifecycleEventsWithin(KafkaSettings kafka, int count, Duration timeout) {
        return eventsWithin(kafka, kafka.samplingTopics().lifecycle(), count, timeout);
    }

    /** The first {@code count} events of {@code topic}, waiting at most {@code timeout} for them. */
    static <V> List<V> eventsWithin(KafkaSettings kafka, TopicSpec<V> topic, int count, Duration timeout) {
        Map<String, Object> config = kafka.consumerConfig(KafkaStack.uniqueName(topic.role() + "-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde(kafka.newRegistryClient()).deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            return Polling.pollRecords(consumer, count, timeout).stream().map(ConsumerRecord::value).toList();
        }
    }
}
