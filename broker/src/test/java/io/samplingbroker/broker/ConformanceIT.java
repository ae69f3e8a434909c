package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/**
 * The official conformance suite ({@code @modelcontextprotocol/conformance}, server mode) against the conformance
 * fixture on the SDK v2, directly and through the broker: every scenario that passes directly must pass through the
 * broker. The suite's client samples itself and checks that it is asked to, so the policy here forwards sampling to
 * hosts that declare it ({@link WorkerStandIn#forward}). {@code mvn verify} runs a handful of scenarios; the full table
 * runs with {@code -Dconformance.full=true} and is printed as the broker README's table.
 */
@ExtendWith(KafkaStackExtension.class)
class ConformanceIT {

    /** A handful for every build: both eras, the broker's own HTTP front, and input rounds. */
    private static final List<String> HANDFUL = List.of("tools-call-simple-text@2025-11-25",
            "tools-call-simple-text@2026-07-28", "dns-rebinding-protection@2026-07-28", "server-stateless",
            "input-required-result-multi-round", "input-required-result-tampered-state", "server-sse-polling",
            "tools-call-elicitation", "tools-call-sampling@2025-11-25", "input-required-result-basic-sampling@2026-07-28");
    /**
     * Checks that fail through the broker by design within a scenario that otherwise passes: the broker declares
     * {@code sampling} for every host, so a server never refuses a host for lacking it.
     */
    private static final Map<String, Set<String>> BROKER_DECLARES_SAMPLING = Map.of("server-stateless@2026-07-28",
            Set.of("sep-2575-server-rejects-undeclared-capability", "sep-2575-missing-capability-http-400"));

    /** One scenario run: whether it passed, and the ids of the checks that failed. */
    private record Run(boolean passed, Set<String> failedChecks) {
    }

    @Test
    void givenTheConformanceSuite_whenRunDirectlyAndThroughTheBroker_thenEveryScenarioScoresTheSame(KafkaStack stack)
            throws Exception {
        boolean full = Boolean.getBoolean("conformance.full");
        List<String> scenarios = full ? List.of() : HANDFUL;
        KafkaSettings kafka = GatewayIT.kafka(stack, "conformance");
        try (TestPeers.HttpPeer fixture = TestPeers.startConformanceServer(TestPeers.MrtrMode.SESSIONFUL);
                WorkerStandIn worker = new WorkerStandIn(kafka, WorkerStandIn::forward);
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-conformance", Map.of("cs",
                        new UpstreamSpec.Http("cs", URI.create(fixture.url()), Map.of())), Duration.ofSeconds(20)))) {
            Map<String, Run> direct = run(fixture.url(), scenarios);
            Map<String, Run> throughBroker = run(broker.mcpUrl("cs"), scenarios);

            System.out.println(table(direct, throughBroker));
            List<String> differing = new ArrayList<>();
            direct.forEach((run, directly) -> {
                Run brokered = throughBroker.get(run);
                Set<String> newFailures = new TreeSet<>(brokered == null ? Set.of("not run") : brokered.failedChecks());
                newFailures.removeAll(directly.failedChecks());
                newFailures.removeAll(BROKER_DECLARES_SAMPLING.getOrDefault(run, Set.of()));
                if (directly.passed() && !newFailures.isEmpty()) {
                    differing.add(run + " " + newFailures);
                }
            });
            assertThat(differing).as("scenarios passing directly but not through the broker").isEmpty();
            assertThat(direct.keySet()).as("every scenario was run").containsAll(full ? Set.of() : expected(scenarios));
        }
    }

    /** Scenario@era → its run, from the runner's JSON lines; the failed checks are printed. */
    private static Map<String, Run> run(String url, List<String> scenarios) {
        TestPeers.ClientResult result = TestPeers.runConformance(url, scenarios, Duration.ofMinutes(10));
        Map<String, Run> passed = new LinkedHashMap<>();
        for (String line : result.output().split("\n")) {
            JsonObject row = new JsonObject(line);
            if (!Boolean.TRUE.equals(row.getValue("summary")) && !"not-applicable".equals(row.getString("verdict"))) {
                String run = row.getString("scenario") + "@" + row.getString("era");
                Set<String> failed = new TreeSet<>();
                row.getJsonArray("failures", new io.vertx.core.json.JsonArray())
                        .forEach(failure -> failed.add(((JsonObject) failure).getString("id")));
                if (!row.getBoolean("passed") && failed.isEmpty()) {
                    failed.add(row.getString("verdict"));
                }
                passed.put(run, new Run(row.getBoolean("passed"), failed));
                if (!row.getBoolean("passed")) {
                    System.out.println(url + " " + run + " failed: " + row.getValue("failures"));
                }
            }
        }
        assertThat(passed).as(result.output()).isNotEmpty();
        return passed;
    }

    private static Set<String> expected(List<String> scenarios) {
        Set<String> named = new TreeSet<>();
        scenarios.stream().filter(s -> s.contains("@")).forEach(named::add);
        return named;
    }

    private static String table(Map<String, Run> direct, Map<String, Run> throughBroker) {
        StringBuilder table = new StringBuilder("| scenario | era | direct | through the broker |\n|---|---|---|---|\n");
        new TreeSet<>(direct.keySet()).forEach(run -> {
            String[] parts = run.split("@");
            String note = BROKER_DECLARES_SAMPLING.containsKey(run) ? " (the broker declares sampling)" : "";
            table.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" | ")
                    .append(mark(direct.get(run))).append(" | ").append(mark(throughBroker.get(run))).append(note)
                    .append(" |\n");
        });
        long same = direct.keySet().stream().filter(run -> throughBroker.get(run) != null
                && direct.get(run).passed() == throughBroker.get(run).passed()).count();
        long passedDirectly = direct.values().stream().filter(Run::passed).count();
        long passedBrokered = throughBroker.values().stream().filter(Run::passed).count();
        return table.append("\n").append(same).append(" of ").append(direct.size()).append(" runs score the same; ")
                .append(passedDirectly).append(" pass directly, ").append(passedBrokered)
                .append(" through the broker\n").toString();
    }

    private static String mark(Run run) {
        return run == null ? "not run" : run.passed() ? "pass" : "fail";
    }
}
