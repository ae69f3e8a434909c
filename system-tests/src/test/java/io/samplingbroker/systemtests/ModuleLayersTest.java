package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The reactor's layers, read from the module poms: the process guard and the Java SDK adapter (a library for hosts:
 * no dependency on the broker's code) at the bottom, then schemas;
 * the Kafka plumbing and service runner
 * (service-runtime) and the test infrastructure above it; the services above those, none depending on another;
 * the dev stack and the distribution (which tests every service's built form) above them; the system tests and the
 * benchmark on top.
 */
class ModuleLayersTest {

    /** Module directory to layer; a module may depend only on modules of lower layers. */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("process-guard", 0),
            Map.entry("java-sdk-adapter", 0),
            Map.entry("schemas", 1),
            Map.entry("embedded-infra", 1),
            Map.entry("test-support", 2),
            Map.entry("service-runtime", 2),
            Map.entry("broker", 3),
            Map.entry("approval-worker", 3),
            Map.entry("review-console", 3),
            Map.entry("model-worker", 3),
            Map.entry("audit", 3),
            Map.entry("admin", 3),
            Map.entry("dev-stack", 4),
            Map.entry("distribution", 4),
            Map.entry("system-tests", 5),
            Map.entry("benchmark", 5));

    /** Test-scope exceptions: schemas' integration tests run on the Kafka of test-support, one layer up. */
    static final Set<String> ALLOWED_TEST_EDGES = Set.of("schemas -> test-support");

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*(?:<!--.*?-->\\s*)*<groupId>io\\.samplingbroker</groupId>\\s*<artifactId>sampling-broker-([a-z-]+)"
                    + "</artifactId>(.*?)</dependency>", Pattern.DOTALL);

    @Test
    void givenTheReactor_whenItsModulesDependenciesAreRead_thenEveryDependencyPointsToALowerLayer() throws IOException {
        // Given
        Path root = Path.of("..").toAbsolutePath().normalize();
        Map<String, List<Edge>> graph = dependencies(root);
        // Then
        assertThat(graph.keySet()).as("every module has a layer").containsExactlyInAnyOrderElementsOf(LAYERS.keySet());
        assertThat(violations(graph)).isEmpty();
    }

    @Test
    void givenAServiceDependingOnAnotherOrAnUpwardDependency_whenChecked_thenEachIsReported() {
        // Given
        Map<String, List<Edge>> graph = new TreeMap<>(Map.of(
                "broker", List.of(new Edge("model-worker", false)),
                "schemas", List.of(new Edge("test-support", true), new Edge("service-runtime", false)),
                "dev-stack", List.of(new Edge("broker", false))));
        // Then
        assertThat(violations(graph)).containsExactly(
                "broker (layer 3) depends on model-worker (layer 3)",
                "schemas (layer 1) depends on service-runtime (layer 2)");
    }

    record Edge(String module, boolean testScope) {
    }

    static List<String> violations(Map<String, List<Edge>> graph) {
        return graph.entrySet().stream().flatMap(entry -> entry.getValue().stream()
                .filter(edge -> LAYERS.get(edge.module()) >= LAYERS.get(entry.getKey())
                        && !(edge.testScope() && ALLOWED_TEST_EDGES.contains(entry.getKey() + " -> " + edge.module())))
                .map(edge -> entry.getKey() + " (layer " + LAYERS.get(entry.getKey()) + ") depends on " + edge.module()
                        + " (layer " + LAYERS.get(edge.module()) + ")"))
                .toList();
    }

    private static Map<String, List<Edge>> dependencies(Path root) throws IOException {
        Map<String, List<Edge>> graph = new LinkedHashMap<>();
        Matcher modules = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
        while (modules.find()) {
            String module = modules.group(1);
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            pom = pom.substring(pom.indexOf("<dependencies>"));
            Matcher dependency = DEPENDENCY.matcher(pom);
            List<Edge> edges = new java.util.ArrayList<>();
            while (dependency.find()) {
                if (!dependency.group(1).equals("parent")) {
                    edges.add(new Edge(dependency.group(1), dependency.group(2).contains("<scope>test</scope>")));
                }
            }
            graph.put(module, edges);
        }
        return graph;
    }
}
