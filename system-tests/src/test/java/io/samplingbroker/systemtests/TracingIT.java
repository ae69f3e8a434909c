package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.approvalworker.ApprovalWorkerConfig;
import io.samplingbroker.broker.BrokerConfig;
import io.samplingbroker.broker.GatewaySettings;
import io.samplingbroker.broker.sampling.SamplingLimits;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.devstack.ServiceStack;
import io.samplingbroker.modelworker.ModelWorkerConfig;
import io.samplingbroker.modelworker.catalogue.CatalogueFile;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;
import io.samplingbroker.testsupport.ChatCompletionsServer;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.OtlpReceiver;
import io.samplingbroker.testsupport.OtlpReceiver.ReceivedSpan;
import io.samplingbroker.testsupport.Polling;
import io.samplingbroker.testsupport.TestPeers;

/**
 * One trace per sampling request, across the services: the broker, approval-worker and model-worker export over
 * OTLP/HTTP to a receiver the test runs, hosts of both eras (the TypeScript SDK v1 against server-everything, v2
 * against the 2026-07-28 fixture) send their W3C {@code traceparent}, and the model-worker calls a provider that
 * speaks OpenAI's wire format. Each request's spans must form one tree in the host's trace, hung under the host's
 * span, with the provider's HTTP request carrying the model-worker's client span; a request the policy denies is one
 * tree across the broker and the approval-worker; a host that sends no trace context gets a trace of its own.
 */
@ExtendWith(KafkaStackExtension.class)
class TracingIT {

    private static final String POLICY = """
            defaultAction: {action: approve}
            rules:
              - id: deny-untrusted
                when: {host: "untrusted-*"}
                action: deny
                reason: untrusted hosts may not sample
            """;
    private static final String HOST_25_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String HOST_26_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String DENIED_TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String HOST_SPAN = "00f067aa0ba902b7";
    private static final Set<String> ANSWERED_SPANS = Set.of("broker sampling/createMessage", "broker sampling deliver",
            "approval-worker sampling decide", "model-worker sampling complete", "model-worker chat gpt-4o-mini");

    @Test
    void givenHostsOfBothErasWithTraceParents_whenTheySample_thenEachRequestIsOneTreeAcrossTheServicesInTheHostsTrace(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start();
                ChatCompletionsServer provider = ChatCompletionsServer.start().replyByDefault(
                        ChatCompletionsServer.completion("gpt-4o-mini-2024-07-18", "traced answer", "stop"));
                TestPeers.HttpPeer mrtr = TestPeers.startMrtrServer(TestPeers.MrtrMode.STATELESS);
                ServiceStack services = services(stack, dir, provider, mrtr, receiver)) {
            // When
            TestPeers.ClientResult host25 = host("v1-client.mjs", services, "everything", "trigger-sampling-request",
                    "{\"prompt\":\"hello from 2025\",\"maxTokens\":20}", "traced-host-25", HOST_25_TRACE);
            TestPeers.ClientResult host26 = host("v2-client.mjs", services, "mrtr", "sample",
                    "{\"prompt\":\"hello from 2026\"}", "traced-host-26", HOST_26_TRACE);
            TestPeers.ClientResult denied = host("v1-client.mjs", services, "everything", "trigger-sampling-request",
                    "{\"prompt\":\"let me in\",\"maxTokens\":20}", "untrusted-host", DENIED_TRACE);
            TestPeers.ClientResult untraced = host("v1-client.mjs", services, "everything", "trigger-sampling-request",
                    "{\"prompt\":\"no trace\",\"maxTokens\":20}", "untraced-host", null);

            // Then
            assertThat(host25.output()).contains("traced answer");
            assertThat(host26.output()).contains("traced answer");
            assertThat(denied.exitCode()).isZero();
            assertThat(denied.output()).doesNotContain("traced answer");
            assertThat(untraced.output()).contains("traced answer");
            Map<String, List<ReceivedSpan>> traces = awaitSpans(receiver, received -> named(
                    received.get(HOST_25_TRACE)).containsAll(ANSWERED_SPANS)
                    && named(received.get(HOST_26_TRACE)).containsAll(ANSWERED_SPANS)
                    && named(received.get(DENIED_TRACE)).contains("broker sampling deliver")
                    && received.values().stream().anyMatch(trace -> named(trace).containsAll(ANSWERED_SPANS)
                            && trace.stream().anyMatch(TracingIT::ofTheUntracedHost)));
            assertThat(receiver.refused()).isEmpty();
            for (String hostTrace : List.of(HOST_25_TRACE, HOST_26_TRACE)) {
                List<ReceivedSpan> trace = traces.get(hostTrace);
                assertOneTreeUnderTheHost(trace);
                assertThat(named(trace)).isEqualTo(ANSWERED_SPANS);
                assertThat(trace).extracting(span -> span.attribute("sampling.request_id")).as("one request")
                        .filteredOn(id -> id != null).containsOnly(requestId(trace));
                ReceivedSpan chat = only(trace, "chat gpt-4o-mini");
                assertThat(chat.kind().name()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(chat.attribute("gen_ai.usage.output_tokens")).isNotNull();
                assertThat(provider.requests()).as("the provider's call carries the model-worker's client span")
                        .anySatisfy(call -> assertThat(call.headers().get("Traceparent"))
                                .containsExactly("00-" + hostTrace + "-" + chat.spanId() + "-01"));
            }
            List<ReceivedSpan> deniedTrace = traces.get(DENIED_TRACE);
            assertOneTreeUnderTheHost(deniedTrace);
            assertThat(named(deniedTrace)).isEqualTo(Set.of("broker sampling/createMessage", "broker sampling deliver",
                    "approval-worker sampling decide"));
            assertThat(only(deniedTrace, "sampling decide").attribute("sampling.decision")).isEqualTo("DENIED");
            assertThat(only(deniedTrace, "sampling/createMessage").error()).as("answered with an error").isTrue();
            List<ReceivedSpan> ownTrace = traces.values().stream().filter(trace -> trace.stream().anyMatch(
                    TracingIT::ofTheUntracedHost)).findFirst().orElseThrow();
            assertThat(OtlpReceiver.roots(ownTrace)).singleElement().satisfies(root -> {
                assertThat(root.name()).isEqualTo("sampling/createMessage");
                assertThat(root.parentSpanId()).as("a trace of its own").isNull();
            });
        }
    }

    private static boolean ofTheUntracedHost(ReceivedSpan span) {
        return "untraced-host".equals(span.attribute("sampling.host"));
    }

    /** Every span's parent is in the trace, but the broker's request span's, which is the host's span. */
    private static void assertOneTreeUnderTheHost(List<ReceivedSpan> trace) {
        assertThat(OtlpReceiver.roots(trace)).singleElement().satisfies(root -> {
            assertThat(root.service()).isEqualTo("broker");
            assertThat(root.name()).isEqualTo("sampling/createMessage");
            assertThat(root.parentSpanId()).isEqualTo(HOST_SPAN);
        });
    }

    private static String requestId(List<ReceivedSpan> trace) {
        return only(trace, "sampling/createMessage").attribute("sampling.request_id");
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String name) {
        List<ReceivedSpan> matching = trace.stream().filter(span -> span.name().equals(name)).toList();
        assertThat(matching).as("spans named %s", name).hasSize(1);
        return matching.get(0);
    }

    /** "service name" of each span, for a trace that may not have arrived yet. */
    private static Set<String> named(List<ReceivedSpan> trace) {
        return trace == null ? Set.of() : trace.stream().map(span -> span.service() + " " + span.name())
                .collect(Collectors.toSet());
    }

    private static Map<String, List<ReceivedSpan>> awaitSpans(OtlpReceiver receiver,
            Predicate<Map<String, List<ReceivedSpan>>> complete) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!complete.test(receiver.traces()) && System.nanoTime() < deadline) {
            Polling.pause(Duration.ofMillis(200));
        }
        Map<String, List<ReceivedSpan>> traces = receiver.traces();
        assertThat(complete.test(traces)).as("every expected span arrived; received: %s", traces.values().stream()
                .map(TracingIT::named).toList()).isTrue();
        return traces;
    }

    private static TestPeers.ClientResult host(String script, ServiceStack services, String server, String tool,
            String arguments, String hostId, String traceId) {
        Map<String, String> env = traceId == null ? Map.of("HOST_ID", hostId)
                : Map.of("HOST_ID", hostId, "TRACEPARENT", "00-" + traceId + "-" + HOST_SPAN + "-01");
        return TestPeers.runHost(script, services.broker().mcpUrl(server), tool, arguments,
                List.of("--sampling", "none"), env, EndToEndIT.CLIENT_TIMEOUT);
    }

    private static ServiceStack services(KafkaStack stack, Path dir, ChatCompletionsServer provider,
            TestPeers.HttpPeer mrtr, OtlpReceiver receiver) throws Exception {
        KafkaSettings kafka = KafkaSettings.of(stack.clientSettings(), stack.schemaRegistryUrl(),
                new TopicsConfig(KafkaStack.uniqueName("traces") + ".", 2, (short) 1, -1, Map.of()));
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Path models = Files.writeString(dir.resolve("models.yaml"), """
                defaultModel: traced-gpt
                providers:
                  local:
                    type: openai-compatible
                    baseUrl: %s
                    maxRetries: 0
                models:
                  - name: traced-gpt
                    provider: local
                    providerModel: gpt-4o-mini
                """.formatted(provider.baseUrl()));
        Map<String, UpstreamSpec> servers = Map.of("everything", EndToEndIT.stdioEverything().get("everything"),
                "mrtr", new UpstreamSpec.Http("mrtr", URI.create(mrtr.url()), Map.of()));
        return ServiceStack.on(kafka)
                .approvalWorker(ApprovalWorkerConfig.of(kafka, policy.toString())
                        .withApplicationId(KafkaStack.uniqueName("approval"))
                        .withStreamsSettings(Map.of("state.dir", dir.resolve("streams").toString())))
                .modelWorker(ModelWorkerConfig.defaults(kafka).withGroupId(KafkaStack.uniqueName("models"))
                        .withCatalogue(CatalogueFile.load(models, Map.of())))
                .broker(new BrokerConfig(kafka, "traced-broker", "127.0.0.1", 0,
                        SamplingLimits.of(Duration.ofSeconds(30)), Duration.ofMinutes(5), servers,
                        GatewaySettings.loopback()))
                .secured(stack.security())
                .tracing(TracingSettings.otlp(URI.create(receiver.tracesUrl())))
                .start();
    }
}
