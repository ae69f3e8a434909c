package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.audit.AuditMain;
import io.samplingbroker.broker.Broker;
import io.samplingbroker.devstack.ServiceStack;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaAcls;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.TestPeers;

/**
 * The history {@link AuditIT} audits, written once: the real services (broker, approval-worker, model-worker,
 * server-everything, the TypeScript SDK client) on real Kafka and Apicurio produce an approved, a denied (by a rule),
 * an edited (by a reviewer), a failed (provider unreachable), a response-rejected, a cancelled and an expired request;
 * once every request has its terminal event the services stop, which fails the class if one of them wrote a topic
 * the writers table does not give it ({@link SamplingStack#close()}). Then the history is read back (its timelines,
 * by host) and a checkpoint of it is written outside Kafka.
 *
 * <p>Nothing writes to these topics afterwards: the tests only read them, and tamper with copies under prefixes of
 * their own ({@link HistoryRewriter}), so they do not depend on each other or on their order.
 */
final class AuditHistory {

    /** The seven requests, one per outcome, by the host id each was asked for. */
    static final List<String> HOSTS = List.of("host-approved", "host-denied", "host-failed", "host-edited",
            "host-rejected", "host-cancelled", "host-expired");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REVIEW_TIMEOUT = Duration.ofSeconds(30);
    private static final String POLICY = """
            defaultAction: approve
            rules:
              - id: no-secrets
                when: {textMatches: ['(?i)password']}
                action: deny
                reason: Prompts with passwords are not sent to models.
              - id: use-broken-model
                when: {textMatches: ['(?i)unreachable']}
                action: amend
                amend: {forceModel: broken-model}
              - id: hold-for-review
                when: {textMatches: ['(?i)review me']}
                action: hold
                reason: needs a human
              - id: check-answers
                when: {textMatches: ['(?i)check the answer']}
                action: approve
                reviewResponse: true
            """;
    /** The offline model by default, and a model whose provider nobody listens for (port 9, discard). */
    private static final String MODELS = """
            defaultModel: offline-echo
            providers:
              offline: {type: offline}
              dead: {type: openai-compatible, baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0, connectTimeoutMs: 1000}
            models:
              - {name: offline-echo, provider: offline}
              - {name: broken-model, provider: dead}
            """;

    /** The test's Kafka and registry. */
    final KafkaStack stack;
    /** The stack's settings for the test's own clients (no write recorder), under the history's topic prefix. */
    final KafkaSettings kafka;
    /** The timelines ({@code timeline --format jsonl}) as read once the services had stopped, by host. */
    final Map<String, JsonNode> byHost;
    /** A checkpoint ({@code verify --write-checkpoint}) of the honest history, kept outside Kafka. */
    final Path checkpoint;

    private AuditHistory(KafkaStack stack, KafkaSettings kafka, Map<String, JsonNode> byHost, Path checkpoint) {
        this.stack = stack;
        this.kafka = kafka;
        this.byHost = Map.copyOf(byHost);
        this.checkpoint = checkpoint;
    }

    /** Writes the history through the real services in {@code dir}, stops them, and reads it back. */
    static AuditHistory write(KafkaStack stack, Path dir) throws Exception {
        KafkaSettings kafka;
        try (SamplingStack services = SamplingStack.start(stack, dir, POLICY, MODELS, EndToEndIT.stdioEverything(),
                List.of(Duration.ofSeconds(55), Duration.ofSeconds(5)), null)) {
            kafka = services.kafka;
            Broker patient = services.brokers.get(0);
            Broker hasty = services.brokers.get(1);
            // approved, denied and failed straight through
            assertThat(ask(patient, "What is MCP sampling?", "host-approved").get(90, TimeUnit.SECONDS).ok()).isTrue();
            assertThat(ask(patient, "my password is hunter2", "host-denied").get(90, TimeUnit.SECONDS).output())
                    .contains("User rejected sampling request");
            assertThat(ask(patient, "send this to the unreachable model", "host-failed").get(90, TimeUnit.SECONDS)
                    .output()).contains("Sampling failed");
            // edited by reviewer alice
            CompletableFuture<TestPeers.ClientResult> edited = ask(patient, "please review me: ACME", "host-edited");
            ReviewItem held = awaitPending(services, "host-edited", ReviewStage.REQUEST);
            ReviewCommand edit = ReviewFlowIT.command(held, ReviewStage.REQUEST, ReviewAction.EDIT, "alice");
            edit.setEditedParams(CreateMessageParams.newBuilder(held.getParams()).setMessages(List.of(SamplingMessage
                    .newBuilder(held.getParams().getMessages().get(0))
                    .setContent(List.of(new TextContent("please review me: a customer", null, null, null))).build())).build());
            services.sendReviewCommand(edit);
            assertThat(edited.get(90, TimeUnit.SECONDS).output()).contains("a customer");
            // the answer rejected by reviewer bob
            CompletableFuture<TestPeers.ClientResult> rejected = ask(patient, "check the answer", "host-rejected");
            ReviewItem answer = awaitPending(services, "host-rejected", ReviewStage.RESPONSE);
            ReviewCommand deny = ReviewFlowIT.command(answer, ReviewStage.RESPONSE, ReviewAction.DENY, "bob");
            deny.setReason("the answer names a customer");
            services.sendReviewCommand(deny);
            assertThat(rejected.get(90, TimeUnit.SECONDS).output()).contains("-32003");
            // cancelled while held: what the broker does on the server's notifications/cancelled (server-everything
            // sends it only after 60 s)
            // (that client gives up after 15 s instead of 90 s, so no client outlives the test)
            ask(patient, "review me, then cancel", "host-cancelled", "15000");
            ReviewItem toCancel = awaitPending(services, "host-cancelled", ReviewStage.REQUEST);
            assertThat(patient.dispatcher().cancel(toCancel.getContext().getSessionId(),
                    toCancel.getContext().getJsonRpcId(), "test: the server cancelled")).isTrue();
            // expired while held, on the broker with a 5 s deadline
            assertThat(ask(hasty, "review me if you can", "host-expired").get(90, TimeUnit.SECONDS).output())
                    .contains("-32001");

            // the history is complete once every request has ended (lifecycle events are written asynchronously),
            // so the services stop only then
            awaitTimelines(connection(stack, kafka.topics().prefix()), HOSTS.size());
        } // close(): the services stop, and a write outside the writers table fails the class here

        String[] connection = connection(stack, kafka.topics().prefix());
        Map<String, JsonNode> byHost = awaitTimelines(connection, HOSTS.size());
        Path checkpoint = dir.resolve("checkpoint.json");
        Output written = audit(append(connection, "verify", "--write-checkpoint", checkpoint.toString()));
        assertThat(written.status).as(written.out).isZero();
        return new AuditHistory(stack, kafka, byHost, checkpoint);
    }

    /** The history's topic prefix. */
    String prefix() {
        return kafka.topics().prefix();
    }

    /** The audit command's options for the history itself. */
    String[] connection() {
        return connection(prefix());
    }

    /** The audit command's options for a copy of the history under {@code topicPrefix}. */
    String[] connection(String topicPrefix) {
        return connection(stack, topicPrefix);
    }

    /** The id of the request asked for {@code host}. */
    String requestId(String host) {
        JsonNode timeline = byHost.get(host);
        assertThat(timeline).as("the timeline of %s", host).isNotNull();
        return timeline.path("requestId").asText();
    }

    /** Copies (and tampers with copies of) the history's topics. */
    HistoryRewriter rewriter() {
        // the audit reads a copy as the audit's user: on the secured Kafka the copy gets the ACLs a deployment has
        return new HistoryRewriter(kafka, stack.security() == null ? null : KafkaAcls.withDefaultPrincipals(
                KafkaAcls.DEFAULT_MODEL_WORKER_GROUP, KafkaAcls.DEFAULT_APPROVAL_APPLICATION_ID));
    }

    /** Runs {@code timeline --format jsonl} until {@code count} requests have ended, then returns them by host. */
    static Map<String, JsonNode> awaitTimelines(String[] connection, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, JsonNode> byHost = new HashMap<>();
        while (System.nanoTime() < deadline) {
            Output output = audit(append(connection, "timeline", "--format", "jsonl"));
            assertThat(output.status).as(output.err).isZero();
            byHost.clear();
            List<String> outcomes = new ArrayList<>();
            for (String line : output.out.split("\n")) {
                if (!line.isBlank()) {
                    JsonNode timeline = JSON.readTree(line);
                    byHost.put(timeline.path("host").asText(), timeline);
                    outcomes.add(timeline.path("outcome").asText());
                }
            }
            if (byHost.size() == count && !outcomes.contains("open")) {
                return byHost;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Not every request ended within 30 s: " + byHost.keySet());
    }

    record Output(int status, String out, String err) {
    }

    /** Runs the audit command in-process. */
    static Output audit(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AuditMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The command and its options ({@code more}), then the connection options. */
    static String[] append(String[] connection, String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(List.of(connection));
        return all.toArray(String[]::new);
    }

    /** The audit's options to read the topics under {@code topicPrefix} of {@code stack}. */
    static String[] connection(KafkaStack stack, String topicPrefix) {
        return new String[] {"--config", stack.clientConfigFile(ServiceStack.AUDIT_USER).toString(),
            "--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.schemaRegistryUrl(),
            "--topic-prefix", topicPrefix};
    }

    private static CompletableFuture<TestPeers.ClientResult> ask(Broker broker, String prompt, String host) {
        return ask(broker, prompt, host, "90000");
    }

    private static CompletableFuture<TestPeers.ClientResult> ask(Broker broker, String prompt, String host,
            String clientTimeoutMs) {
        String url = broker.mcpUrl("everything");
        return CompletableFuture.supplyAsync(() -> TestPeers.runClient(List.of("http", url, prompt, "50"),
                Map.of("HOST_ID", host, "CLIENT_TIMEOUT_MS", clientTimeoutMs), Duration.ofSeconds(150)));
    }

    private static ReviewItem awaitPending(SamplingStack services, String host, ReviewStage stage) {
        return services.awaitReview(item -> item.getState() == ReviewState.PENDING && item.getStage() == stage
                && item.getContext().getHostId().equals(host), REVIEW_TIMEOUT);
    }

}
