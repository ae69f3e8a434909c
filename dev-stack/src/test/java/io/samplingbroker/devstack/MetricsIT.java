package io.samplingbroker.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;
import io.samplingbroker.testsupport.Polling;
import io.samplingbroker.testsupport.PrometheusServer;
import io.samplingbroker.testsupport.TestPeers;

/**
 * The dev stack's metrics as an operator sees them: requests sent through the gateway by the TypeScript SDK client,
 * then each service's {@code /metrics} scraped, by this test and by a real Prometheus whose PromQL answers must be
 * the counts of what was sent. The metrics table of docs/operations.md, the alerting rules and the dashboard in
 * {@code ops/} are checked against the live scrapes, so none can name a metric that does not exist.
 */
class MetricsIT {

    private static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path METRICS_DOC = REPOSITORY.resolve("docs/operations.md");
    private static final Path ALERTS = REPOSITORY.resolve("ops/prometheus/sampling-broker-alerts.yml");
    private static final Path DASHBOARD = REPOSITORY.resolve("ops/grafana/sampling-broker.json");
    /** How the table marks a metric whose labels only its first event gives. */
    private static final String LAZY = "*(appears with the first one)*";
    /** How the table marks a metric only a catalogue with an HTTP provider has (the dev stack's is offline). */
    private static final String WITH_HTTP_PROVIDER = "*(with an HTTP provider)*";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);
    /** Three requests of metrics-host and the first of limited-host get a result. */
    private static final int ANSWERED = 4;
    /** One prompt a rule forbids, one request over limited-host's rate limit. */
    private static final int DENIED = 2;
    /** The names of Prometheus metric families, as a scrape declares them. */
    private static final Pattern FAMILY = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
    /** A metric name in PromQL: a family name, or a histogram's series. */
    private static final Pattern QUERIED = Pattern.compile("\\b((?:sampling|kafka|jvm|process)_[a-z_]+)\\b");

    @TempDir
    static Path dir;
    private static DevStack stack;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheStackAndSample() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        // approve everything but a prompt that says "forbidden": the counts below are known exactly
        Files.writeString(data.resolve("policy.yaml"), """
                defaultAction: {action: approve}
                rules:
                  - id: no-forbidden-words
                    when: {textMatches: ['forbidden']}
                    action: deny
                  - id: limited-host
                    when: {host: [limited-host]}
                    rateLimit: {per: host, requestsPerMinute: 1}
                    action: deny
                """);
        stack = new DevStack(new DevStackConfig(data, LoopbackPorts.freePort(), LoopbackPorts.freePort(),
                LoopbackPorts.freePort(), "sampling.", LoopbackPorts.freePort(), null, LoopbackPorts.freePort(), null, 0,
                null, TracingSettings.off()))
                .start();
        for (int i = 1; i <= 3; i++) {
            assertThat(sample("metrics-host", "metrics " + i)).contains("\"ok\":true");
        }
        assertThat(sample("metrics-host", "a forbidden prompt")).contains("User rejected sampling request");
        assertThat(sample("limited-host", "once a minute")).contains("\"ok\":true");
        assertThat(sample("limited-host", "twice a minute")).contains("User rejected sampling request");
        // a record no service wrote, on the decisions topic: the model-worker sets it aside
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new HashMap<>(stack.clientSettings("admin")),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("sampling.decisions", "garbage-1".getBytes(StandardCharsets.UTF_8),
                    new byte[] {1, 2, 3})).get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!scrapes().get("model-worker").contains("sampling_dead_letters_total{") && System.nanoTime() < deadline) {
            Polling.pause(Duration.ofMillis(200));
        }
    }

    private static String sample(String host, String prompt) {
        return TestPeers.runClient(List.of("http", stack.mcpUrl(), prompt, "20"), Map.of("HOST_ID", host),
                CALL_TIMEOUT).output();
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void givenRequestsSent_whenEachServiceIsScraped_thenItsCountsAreThoseOfTheRequests() throws Exception {
        Map<String, String> scrapes = scrapes();

        assertThat(scrapes).containsOnlyKeys("broker", "approval-worker", "model-worker", "review-console");
        assertThat(scrapes.get("broker"))
                .contains("sampling_requests_total{code=\"none\",host=\"metrics-host\",model=\"offline-echo\","
                        + "outcome=\"result\",server=\"everything\",service=\"broker\",tenant=\"none\"} 3.0")
                .contains("sampling_requests_total{code=\"-1\",host=\"metrics-host\",model=\"none\",outcome=\"error\","
                        + "server=\"everything\",service=\"broker\",tenant=\"none\"} 1.0")
                .contains("sampling_pending_requests{service=\"broker\"} 0.0");
        assertThat(scrapes.get("approval-worker")).contains("sampling_decisions_total{decided_by=\"default_action\","
                + "decision=\"approved\",host=\"metrics-host\",rule=\"defaultAction\",server=\"everything\","
                + "service=\"approval-worker\",tenant=\"none\"} 3.0");
        assertThat(scrapes.get("model-worker")).contains("sampling_provider_calls_seconds_count{http_status=\"200\","
                + "model=\"offline-echo\",provider=\"offline\",service=\"model-worker\",status=\"ok\"} " + ANSWERED);
        assertThat(scrapes.get("model-worker")).contains("sampling_dead_letters_total{reason=");
        for (String prompt : List.of("metrics 1", "a forbidden prompt", "twice a minute")) {
            assertThat(String.join("\n", scrapes.values())).as("no prompt text in the metrics").doesNotContain(prompt);
        }
    }

    @Test
    void givenTheMetricsTable_whenComparedWithTheScrapes_thenEverySamplingMetricIsDocumentedAndEveryDocumentedOneExists()
            throws Exception {
        Set<String> live = families(scrapes().values());
        Set<String> documented = documentedMetrics(true);

        assertThat(documented).as("metrics in docs/operations.md").hasSizeGreaterThan(10);
        assertThat(missing(documentedMetrics(false), live)).as("documented metrics the services do not expose")
                .isEmpty();
        assertThat(missing(live.stream().filter(name -> name.startsWith("sampling_")).toList(), documented))
                .as("sampling_ metrics missing from the table").isEmpty();
    }

    @Test
    void givenTheAlertsAndTheDashboard_whenChecked_thenPromtoolAcceptsTheRulesAndEveryMetricTheyQueryExists()
            throws Exception {
        PrometheusServer.require();
        Set<String> live = families(scrapes().values());

        PrometheusServer.CheckResult check = PrometheusServer.checkRules(ALERTS);

        assertThat(check.exitCode()).as(check.output()).isZero();
        Set<String> liveOrLater = new TreeSet<>(live);
        liveOrLater.addAll(documentedMetrics(true));
        assertThat(missing(queried(Files.readString(ALERTS)), liveOrLater)).as("metrics the alerting rules query")
                .isEmpty();
        assertThat(missing(queried(Files.readString(DASHBOARD)), live)).as("metrics the dashboard queries").isEmpty();
    }

    @Test
    void givenPrometheusScrapingTheStack_whenQueried_thenPromQlCountsTheRequestsSent() {
        PrometheusServer.require();
        Map<String, String> targets = new LinkedHashMap<>();
        stack.managementPorts().forEach((service, port) -> targets.put(service, "127.0.0.1:" + port));
        try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), targets, ALERTS)) {
            awaitValue(prometheus, "count(up == 1)", targets.size());
            awaitValue(prometheus, "sum(sampling_requests_total{outcome=\"result\"})", ANSWERED);
            awaitValue(prometheus, "sum(sampling_requests_total{outcome=\"error\",code=\"-1\"})", DENIED);
            awaitValue(prometheus, "sum(sampling_decisions_total{decision=\"approved\"})", ANSWERED);
            awaitValue(prometheus, "sum(sampling_decisions_total{decision=\"denied\",rule=\"no-forbidden-words\"})", 1);
            awaitValue(prometheus, "sum(sampling_limit_refusals_total{rule=\"limited-host\",limit=\"rate\"})", 1);
            awaitValue(prometheus, "sum(sampling_provider_calls_seconds_count{status=\"ok\"})", ANSWERED);
            awaitValue(prometheus, "sum(sampling_stage_duration_seconds_count{stage=\"end_to_end\"})", ANSWERED + DENIED);
            awaitValue(prometheus, "sum(sampling_dead_letters_total{topic=\"sampling.decisions\"})", 1);

            assertThat(prometheus.query("sum(sampling_tokens_total{direction=\"output\"})").orElse(0)).isPositive();
            assertThat(prometheus.alertRuleNames()).as("the alerting rules loaded").contains("SamplingDeadLetters",
                    "SamplingReviewNearDeadline", "SamplingConsumerLagHigh");
        }
    }

    private static void awaitValue(PrometheusServer prometheus, String promql, double expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        OptionalDouble value = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            value = prometheus.query(promql);
            if (value.isPresent() && value.getAsDouble() == expected) {
                return;
            }
            Polling.pause(Duration.ofMillis(500));
        }
        assertThat(value).as(promql + " within 30 s; targets: " + prometheus.targetHealth()).hasValue(expected);
    }

    private static Map<String, String> scrapes() throws IOException, InterruptedException {
        Map<String, String> scrapes = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> port : stack.managementPorts().entrySet()) {
            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port.getValue() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).as(port.getKey()).isEqualTo(200);
            scrapes.put(port.getKey(), scrape.body());
        }
        return scrapes;
    }

    /** Every family the scrapes declare; a timer's {@code _max} gauge is part of the timer's histogram. */
    private static Set<String> families(Iterable<String> scrapes) {
        Set<String> names = new TreeSet<>();
        for (String scrape : scrapes) {
            Matcher matcher = FAMILY.matcher(scrape);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        names.removeIf(name -> name.endsWith("_max") && names.contains(name.substring(0, name.length() - 4)));
        return names;
    }

    private static Set<String> missing(Collection<String> wanted, Set<String> present) {
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(present);
        return missing;
    }

    /**
     * The first column of the metrics table: the names in backticks of rows that start with one; without the rows
     * marked as appearing with their first event or with an HTTP provider unless {@code withLazy}.
     */
    private static Set<String> documentedMetrics(boolean withLazy) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("^\\| `([a-z_]+)` \\|(.*)$", Pattern.MULTILINE)
                .matcher(Files.readString(METRICS_DOC));
        while (matcher.find()) {
            if (withLazy || !(matcher.group(2).contains(LAZY) || matcher.group(2).contains(WITH_HTTP_PROVIDER))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** Metric families a PromQL text queries: a histogram's {@code _bucket}, {@code _count}, {@code _sum} are its family. */
    private static Set<String> queried(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = QUERIED.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1).replaceAll("_(bucket|count|sum)$", ""));
        }
        return names;
    }
}
