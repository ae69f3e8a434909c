package io.samplingbroker.broker;

import static io.samplingbroker.broker.SdkHosts.call;
import static io.samplingbroker.broker.SdkHosts.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/**
 * Hosts and servers of both eras through the broker, all real SDK peers: a 2026-07-28 server on the SDK v2
 * ({@code mrtr-server.mjs}) asks for sampling with {@code input_required}, the broker answers it through Kafka (the
 * workers played by {@link WorkerStandIn}), and the host sees only the final result.
 */
@ExtendWith(KafkaStackExtension.class)
class EraMatrixIT {

    private static TestPeers.HttpPeer stateless;

    @BeforeAll
    static void startServers() throws Exception {
        stateless = TestPeers.startMrtrServer(TestPeers.MrtrMode.STATELESS);
    }

    @AfterAll
    static void stopServers() {
        stateless.close();
    }

    @Test
    void givenA2026HostAndA2026Server_whenTheToolSamples_thenTheBrokerAnswersTheInputAndRecordsBothEras(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-26-26");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e1", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v2", broker, "mrtr", "host-26", "sample",
                    "{\"prompt\":\"hello from 2026\"}", "--sampling", "none");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(text(result)).isEqualTo("sampled: stand-in-model: stand-in answer for host host-26 via mrtr:"
                    + " hello from 2026");
            assertThat(new JsonObject(result.output()).getString("protocolVersion")).isEqualTo("2026-07-28");
            SamplingRequested request = worker.seen().get(0);
            assertThat(request.getProtocolVersion()).isEqualTo("2026-07-28");
            assertThat(request.getHostProtocolVersion()).isEqualTo("2026-07-28");
            assertThat(request.getTriggeringToolCall()).isEqualTo("sample");
            assertThat(request.getInputRequest().getInputKey()).isEqualTo("sample");
            assertThat(request.getInputRequest().getCallMethod()).isEqualTo("tools/call");
            assertThat(request.getInputRequest().getInputRound()).isEqualTo(1);
            assertThat(request.getParams().getMaxTokens()).isEqualTo(100);
        }
    }

    @Test
    void givenA2026HostAndATwoRoundTool_whenCalled_thenEachRoundIsOneSamplingRequestAndTheStateIsCarried(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-rounds");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e2", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v2", broker, "mrtr", null, "two-rounds",
                    "{\"prompt\":\"twice\"}", "--sampling", "none");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(text(result)).startsWith("round1: stand-in answer").contains("| round2: stand-in answer");
            assertThat(worker.seen()).extracting(r -> r.getInputRequest().getInputRound()).containsExactly(1, 2);
        }
    }

    @Test
    void givenA2026HostAndAToolThatSamplesAndElicitsInOneRound_whenCalled_thenTheHostAnswersOnlyTheElicitation(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-mixed");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e3", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v2", broker, "mrtr", null, "mixed",
                    "{\"prompt\":\"both\"}", "--sampling", "none", "--elicit", "accept-json", "{\"name\":\"Ada\"}");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(text(result)).startsWith("sampled: stand-in answer").endsWith("| elicited: accept {\"name\":\"Ada\"}");
            assertThat(worker.seen()).hasSize(1);
        }
    }

    @Test
    void givenA2026HostAndADeniedSampling_whenTheToolSamples_thenTheToolResultSaysSoAndNothingIsRetried(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-deny");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::deny);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e4", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v2", broker, "mrtr", null, "sample",
                    "{\"prompt\":\"no\"}", "--sampling", "none");

            assertThat(result.ok()).as(result.output()).isTrue();
            JsonObject toolResult = new JsonObject(result.output()).getJsonObject("result");
            assertThat(toolResult.getBoolean("isError")).isTrue();
            assertThat(text(result)).contains("'sample'").contains("User rejected sampling request (-1)");
        }
    }

    @Test
    void givenA2025HostAndA2026Server_whenTheToolSamples_thenTheBridgeAsksOnTheSessionAndTheBrokerAnswers(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-25-26");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e5", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v1", broker, "mrtr", "host-25", "sample",
                    "{\"prompt\":\"hello from 2025\"}", "--sampling", "none");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(text(result)).isEqualTo("sampled: stand-in-model: stand-in answer for host host-25 via mrtr:"
                    + " hello from 2025");
            assertThat(new JsonObject(result.output()).getString("protocolVersion")).isEqualTo("2025-11-25");
            SamplingRequested request = worker.seen().get(0);
            assertThat(request.getProtocolVersion()).isEqualTo("2026-07-28");
            assertThat(request.getHostProtocolVersion()).isEqualTo("2025-11-25");
            assertThat(request.getInputRequest().getInputKey()).isEqualTo("sample");
            assertThat(request.getTriggeringToolCall()).isEqualTo("sample");
        }
    }

    @Test
    void givenA2025HostAndA2026ServerThatAlsoElicits_whenCalled_thenTheHostAnswersTheElicitationOnItsSession(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-25-mixed");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e6", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v1", broker, "mrtr", null, "mixed",
                    "{\"prompt\":\"both\"}", "--sampling", "none", "--elicit", "accept-json",
                            "{\"name\":\"Grace\"}");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(text(result)).startsWith("sampled: stand-in answer")
                    .endsWith("| elicited: accept {\"name\":\"Grace\"}");
            assertThat(worker.seen()).hasSize(1);
        }
    }

    @Test
    void givenA2025HostAndA2026Server_whenTheSamplingIsDenied_thenTheToolResultSaysSo(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-25-deny");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::deny);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e7", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult result = call("v1", broker, "mrtr", null, "sample",
                    "{\"prompt\":\"no\"}", "--sampling", "none");

            assertThat(result.ok()).as(result.output()).isTrue();
            assertThat(new JsonObject(result.output()).getJsonObject("result").getBoolean("isError")).isTrue();
            assertThat(text(result)).contains("User rejected sampling request (-1)");
        }
    }

    @Test
    void givenA2026HostAndALegacyServer_whenItsToolSamples_thenTheBrokerHoldsASessionForTheHostAndAnswers(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-26-25");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e8", GatewayIT.stdioEverything(),
                        Duration.ofSeconds(30)))) {
            for (String mode : List.of("2026-07-28", "auto")) {
                TestPeers.ClientResult result = call("v2", broker, "everything", "host-26", "trigger-sampling-request",
                        "{\"prompt\":\"from a 2026 host\",\"maxTokens\":20}", "--sampling", "none", "--version", mode);

                assertThat(result.ok()).as(mode + ": " + result.output()).isTrue();
                assertThat(new JsonObject(result.output()).getString("protocolVersion")).isEqualTo("2026-07-28");
                assertThat(text(result)).contains("stand-in answer for host host-26 via everything")
                        .contains("from a 2026 host");
            }
            assertThat(worker.seen()).hasSize(2).allSatisfy(request -> {
                assertThat(request.getHostProtocolVersion()).isEqualTo("2025-11-25");
                assertThat(request.getInputRequest()).isNull();
                assertThat(request.getContext().getSessionId()).as("one session held for the host").isEqualTo(
                        worker.seen().get(0).getContext().getSessionId());
            });
        }
    }

    @Test
    void givenA2026Host_whenAPromptAndAResourceSampleAndAToolStreamsProgress_thenEachGetsItsSampledAnswer(
            KafkaStack stack) throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "era-kinds");
        try (WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::echo);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-e9", servers(), Duration.ofSeconds(30)))) {
            TestPeers.ClientResult prompt = call("v2", broker, "mrtr", null, "prompt:sample-prompt",
                    "{\"prompt\":\"a prompt\"}", "--sampling", "none");
            TestPeers.ClientResult resource = call("v2", broker, "mrtr", null, "resource:mrtr://sampled", "{}",
                    "--sampling", "none");
            TestPeers.ClientResult progress = call("v2", broker, "mrtr", null, "progress-sample",
                    "{\"prompt\":\"with progress\"}", "--sampling", "none");

            assertThat(prompt.output()).as(prompt.output()).contains("sampled: stand-in-model: stand-in answer")
                    .contains("a prompt");
            assertThat(resource.output()).as(resource.output()).contains("sampled: stand-in-model: stand-in answer");
            assertThat(progress.ok()).as(progress.output()).isTrue();
            assertThat(text(progress)).contains("stand-in answer").contains("with progress");
            assertThat(worker.seen()).extracting(r -> r.getInputRequest().getCallMethod())
                    .containsExactly("prompts/get", "resources/read", "tools/call");
            assertThat(worker.seen().get(1).getTriggeringToolCall()).isEqualTo("mrtr://sampled");
        }
    }


    private static Map<String, UpstreamSpec> servers() {
        return Map.of("mrtr", new UpstreamSpec.Http("mrtr", URI.create(stateless.url()), Map.of()));
    }

}
