package io.samplingbroker.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The evolution rules of schemas/README.md, checked against every released version: new code reads every old
 * record (backward compatible, transitively), no topic disappears, and a field name keeps its type for ever.
 */
class SchemaEvolutionTest {

    @Test
    void givenReleasedVersions_thenThereIsAtLeastOneToCompareWith() {
        assertThat(ReleasedSchemas.all()).as("released schema snapshots under schemas/released").isNotEmpty();
    }

    @Test
    void givenEveryReleasedVersion_whenTheCurrentSchemaReadsItsRecords_thenEveryTopicIsBackwardCompatible() {
        Map<String, Schema> current = ReleasedSchemas.current();
        List<String> problems = new ArrayList<>();
        for (ReleasedSchemas.Release release : ReleasedSchemas.all()) {
            release.schemasByRole().forEach((role, released) -> {
                Schema now = current.get(role);
                if (now == null) {
                    problems.add(release.version() + " " + role + ": topic schema removed");
                    return;
                }
                var result = SchemaCompatibility.checkReaderWriterCompatibility(now, released);
                if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                    problems.add(release.version() + " " + role + ": " + result.getResult().getIncompatibilities());
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void givenEveryReleasedVersion_thenNoFieldNameWasReusedWithAnotherType() {
        Map<String, String> currentTypes = fieldTypes(ReleasedSchemas.current().values());
        List<String> problems = new ArrayList<>();
        for (ReleasedSchemas.Release release : ReleasedSchemas.all()) {
            fieldTypes(release.schemasByRole().values()).forEach((field, type) -> {
                String now = currentTypes.get(field);
                if (now != null && !now.equals(type)) {
                    problems.add(field + " was " + type + " in " + release.version() + ", is " + now + " now");
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void givenAFieldAddedWithoutDefault_whenChecked_thenTheChangeIsReportedIncompatible() {
        // The check above must be able to fail: a required field new readers cannot fill from old records.
        Schema released = ReleasedSchemas.current().get(SamplingTopics.REQUESTS);
        Schema broken = new Schema.Parser().parse(released.toString().replaceFirst(
                "\"fields\":\\[", "\"fields\":[{\"name\":\"mandatoryNewField\",\"type\":\"string\"},"));

        var result = SchemaCompatibility.checkReaderWriterCompatibility(broken, released);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void givenAFieldWhoseTypeChanged_whenCompared_thenTheReuseRuleReportsIt() throws Exception {
        Schema released = ReleasedSchemas.current().get(SamplingTopics.RESULTS);
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(released.toString());
        for (JsonNode field : json.get("fields")) {
            if (field.get("name").asText().equals("resolvedBy")) {
                ((ObjectNode) field).put("type", "int");
            }
        }
        Schema changed = new Schema.Parser().parse(json.toString());

        assertThat(fieldTypes(List.of(changed)).get("io.samplingbroker.events.SamplingResolved.resolvedBy"))
                .isNotEqualTo(fieldTypes(List.of(released)).get("io.samplingbroker.events.SamplingResolved.resolvedBy"));
    }

    /** Every record field, as {@code record.field -> type}, through unions, arrays and maps. */
    private static Map<String, String> fieldTypes(Iterable<Schema> roots) {
        Map<String, String> types = new HashMap<>();
        for (Schema root : roots) {
            collect(root, types, new java.util.HashSet<>());
        }
        return types;
    }

    private static void collect(Schema schema, Map<String, String> types, java.util.Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    types.put(schema.getFullName() + "." + field.name(), describe(field.schema()));
                    collect(field.schema(), types, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, types, seen));
            case ARRAY -> collect(schema.getElementType(), types, seen);
            case MAP -> collect(schema.getValueType(), types, seen);
            default -> {
            }
        }
    }

    private static String describe(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getFullName();
            case UNION -> schema.getTypes().stream().map(SchemaEvolutionTest::describe).toList().toString();
            case ARRAY -> "array<" + describe(schema.getElementType()) + ">";
            case MAP -> "map<" + describe(schema.getValueType()) + ">";
            default -> schema.getType().getName() + (schema.getLogicalType() == null ? "" : "/" + schema.getLogicalType().getName());
        };
    }
}
