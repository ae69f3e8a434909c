package io.samplingbroker.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;

/** The writers table of schemas/README.md is the code's ({@link Service}), and the code enforces it. */
class WritersTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `sampling\\.([a-z-]+)` \\| [^|]+ \\| ([^|]+) \\| ([^|]+) \\|$");
    private static final Set<String> NOT_SERVICES = Set.of("operators");

    @Test
    void givenTheReadme_whenItsTopicTableIsRead_thenEveryTopicHasTheWritersAndReadersTheCodeGivesIt() throws IOException {
        // Given
        Map<String, Set<String>> writers = new HashMap<>();
        Map<String, Set<String>> readers = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = ROW.matcher(line.trim());
            if (row.matches()) {
                writers.put(row.group(1), names(row.group(2)));
                readers.put(row.group(1), names(row.group(3)));
            }
        }
        // Then
        assertThat(writers.keySet()).containsExactlyInAnyOrderElementsOf(SamplingTopics.ROLES);
        for (String role : SamplingTopics.ROLES) {
            assertThat(writers.get(role)).as("writers of %s", role).isEqualTo(ids(Service.writersOf(role)));
            assertThat(readers.get(role)).as("readers of %s", role).isEqualTo(ids(Arrays.stream(Service.values())
                    .filter(s -> s.reads().contains(role)).toList()));
        }
    }

    @Test
    void givenEveryService_whenItsTopicsAreListed_thenTheyAreKnownRolesAndEachTopicHasAWriter() {
        for (Service service : Service.values()) {
            assertThat(SamplingTopics.ROLES).as(service.id()).containsAll(service.reads()).containsAll(service.writes());
        }
        for (String role : SamplingTopics.ROLES) {
            assertThat(Service.writersOf(role)).as("writers of %s", role).isNotEmpty();
        }
    }

    @Test
    void givenTheBrokersEventSerializer_whenAskedToWriteATopicTheTableDoesNotGiveIt_thenItRefusesNamingTheTable() {
        // Given
        SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults());
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySerdeConfig.fromConfigs(
                Map.of(RegistrySerdeConfig.URL, "http://127.0.0.1:1")));
        try (EventSerializer serializer = EventSerializer.of(Service.BROKER, topics, Map.of(), registry)) {
            // Then: decisions are the approval-worker's (checked before any registry call)
            assertThatThrownBy(() -> serializer.serialize(topics.decisions().name(), new RecordHeaders(), null))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("broker may not write topic sampling.decisions")
                    .hasMessageContaining("writers table");
        }
    }

    private static Set<String> names(String cell) {
        return Arrays.stream(cell.split(",")).map(String::trim).filter(n -> !n.isEmpty() && !NOT_SERVICES.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> ids(List<Service> services) {
        return services.stream().map(Service::id).collect(Collectors.toCollection(TreeSet::new));
    }
}
