package io.samplingbroker.broker;

import static io.samplingbroker.broker.SdkHosts.call;
import static io.samplingbroker.broker.SdkHosts.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/**
 * The policy's {@code forward} action, played by {@link WorkerStandIn#forward}: a host that samples itself answers its
 * servers' sampling, in its era, and its answer goes through the pipeline (a completion with provider {@code host} on
 * Kafka, then the delivery) before the server sees it. Real SDK hosts and servers of both eras.
 */
@ExtendWith(KafkaStackExtension.class)
class ForwardToHostIT {

    private static final Duration EVENTS_TIMEOUT = Duration.ofSeconds(15);
    private static TestPeers.HttpPeer mrtr;

    @BeforeAll
    static void startServer() throws Exception {
        mrtr = TestPeers.startMrtrServer(TestPeers.MrtrMode.STATELESS);
    }

    @AfterAll
    static void stopServer() {
        mrtr.close();
    }

    @Test
    void givenA2025HostThatSamples_whenItsServerAsksOnTheSession_thenTheHostAnswersThroughThePipeline(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "fwd-25");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::forward);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-f1", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v1", broker, "everything", null, "trigger-sampling-request",
                    "{\"prompt\":\"the user's own model\",\"maxTokens\":20}", "--sampling", "echo");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(result.output()).as(() -> story(kafka, worker)).contains("v1-client-echo").contains("echo: ")
                    .contains("the user's own model").doesNotContain("stand-in");
            SamplingRequested request = worker.seen().get(0);
            assertThat(request.getHostSampling()).as("the host declared sampling itself").isNotNull();
            SamplingCompleted completed = (SamplingCompleted) only(GatewayIT.eventsWithin(kafka,
                    kafka.samplingTopics().completions(), 1, EVENTS_TIMEOUT));
            assertThat(completed.getProvider()).isEqualTo("host");
            assertThat(completed.getCreateMessageResult().getModel()).isEqualTo("v1-client-echo");
            assertThat(completed.getContext().getRequestId()).isEqualTo(request.getContext().getRequestId());
            assertThat(delivered(kafka).getErrorCode()).as("a result reached the server").isNull();
        }
    }

    @Test
    void givenA2026HostThatSamples_whenA2026ServerAsksForInput_thenTheHostGetsTheInputAndItsAnswerIsRecorded(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "fwd-26");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::forward);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-f2", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v2", broker, "mrtr", null, "sample",
                    "{\"prompt\":\"hello from 2026\"}", "--sampling", "echo", "--version", "2026-07-28");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(text(result)).as(() -> story(kafka, worker))
                    .isEqualTo("sampled: v2-client-echo: echo: hello from 2026");
            SamplingRequested request = worker.seen().get(0);
            assertThat(request.getHostProtocolVersion()).isEqualTo("2026-07-28");
            SamplingCompleted completed = (SamplingCompleted) only(GatewayIT.eventsWithin(kafka,
                    kafka.samplingTopics().completions(), 1, EVENTS_TIMEOUT));
            assertThat(completed.getProvider()).isEqualTo("host");
            assertThat(completed.getContext().getReplyRoute().getBrokerInstanceId())
                    .as("the instance that took the host's retry waits for the answer").isEqualTo("broker-f2");
            assertThat(delivered(kafka).getErrorCode()).isNull();
        }
    }

    @Test
    void givenA2025HostThatSamplesAndA2026Server_whenTheToolSamples_thenTheBridgeAsksTheHostOnItsSession(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "fwd-25-26");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::forward);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-f3", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v1", broker, "mrtr", null, "sample",
                    "{\"prompt\":\"bridged\"}", "--sampling", "echo");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(text(result)).as(() -> story(kafka, worker)).isEqualTo("sampled: v1-client-echo: echo: bridged");
        }
    }

    @Test
    void givenAHostThatRejects_whenItIsForwardedTheRequest_thenTheServerGetsTheHostsOwnError(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "fwd-reject");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::forward);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-f4", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v1", broker, "mrtr", null, "sample", "{\"prompt\":\"no\"}",
                    "--sampling", "reject");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(new JsonObject(result.output()).getJsonObject("result").getBoolean("isError")).isTrue();
            assertThat(text(result)).contains("User rejected sampling request (-1)");
            SamplingFailed failed = (SamplingFailed) only(GatewayIT.eventsWithin(kafka,
                    kafka.samplingTopics().completions(), 1, EVENTS_TIMEOUT));
            assertThat(failed.getStage()).isEqualTo("host");
            assertThat(failed.getHostError().getCode()).isEqualTo(-1);
            assertThat(delivered(kafka).getErrorCode()).isEqualTo(-1);
        }
    }

    @Test
    void givenHostsThatCannotBeForwarded_whenTheirServersSample_thenTheBrokerAnswers(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "fwd-cannot");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::forward);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-f5", servers(), Duration.ofSeconds(30)))) {
            // A host that declared no sampling, and a 2026 host behind the session the broker holds with a legacy
            // server (which cannot carry a request to it).
            TestPeers.ClientResult none = call("v2", broker, "mrtr", null, "sample",
                    "{\"prompt\":\"no sampling\"}", "--sampling", "none");
            TestPeers.ClientResult pooled = call("v2", broker, "everything", null, "trigger-sampling-request",
                    "{\"prompt\":\"pooled\",\"maxTokens\":20}", "--sampling", "echo", "--version", "2026-07-28");

            assertThat(none.ok()).as(none.output()).isTrue();
            assertThat(text(none)).contains("stand-in answer").contains("no sampling");
            assertThat(pooled.ok()).as(pooled.output()).isTrue();
            assertThat(text(pooled)).contains("stand-in answer").contains("pooled");
            assertThat(worker.seen()).extracting(SamplingRequested::getHostSampling).containsOnlyNulls();
        }
    }

    /** What the pipeline wrote, topic by topic, and what stopped the stand-in: which stage a failed answer stopped at. */
    private static String story(KafkaSettings kafka, WorkerStandIn worker) {
        SamplingTopics topics = kafka.samplingTopics();
        StringBuilder story = new StringBuilder("stand-in failure: ").append(worker.failure());
        for (TopicSpec<?> topic : List.of(topics.requests(), topics.results(), topics.completions(), topics.lifecycle())) {
            story.append("; ").append(topic.role()).append(": ").append(GatewayIT.eventsWithin(kafka, topic, 100,
                    Duration.ofSeconds(3)).stream().map(event -> event.getClass().getSimpleName()).toList());
        }
        return story.toString();
    }

    private static SpecificRecord only(List<SpecificRecord> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static SamplingDelivered delivered(KafkaSettings kafka) {
        return GatewayIT.lifecycleEventsWithin(kafka, 1, EVENTS_TIMEOUT).stream()
                .filter(SamplingDelivered.class::isInstance).map(SamplingDelivered.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no delivery recorded"));
    }


    private static Map<String, UpstreamSpec> servers() {
        Map<String, UpstreamSpec> servers = new HashMap<>(GatewayIT.stdioEverything());
        servers.put("mrtr", new UpstreamSpec.Http("mrtr", URI.create(mrtr.url()), Map.of()));
        return servers;
    }

}
