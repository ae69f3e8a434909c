package io.samplingbroker.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryException;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/** The registry itself, set to BACKWARD, accepts the current schema after the released one and refuses a break. */
@ExtendWith(KafkaStackExtension.class)
class RegistryCompatibilityIT {

    @Test
    void givenTheReleasedSchemaUnderBackwardCompatibility_whenTheCurrentAndABreakingSchemaArrive_thenOnlyTheBreakIsRefused(
            KafkaStack stack) throws Exception {
        // Given
        SchemaRegistryClient registry = EventClients.registry(stack);
        String subject = KafkaStack.uniqueName("compat") + ".requests-value";
        Schema released = new Schema.Parser().parse(Files.readString(Path.of("released/0.1.0/requests.avsc")));
        registry.register(subject, released);
        registry.setCompatibility(subject, "BACKWARD");
        Schema current = new SamplingTopics(TopicsConfig.defaults()).requests().valueSchema();
        Schema breaking = withRequiredField(released);

        // When / Then
        assertThat(registry.isCompatible(subject, current)).isTrue();
        assertThat(registry.isCompatible(subject, breaking)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, breaking))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(409))
                .hasMessageContaining("refused registering a schema under subject '" + subject + "'");
    }

    private static Schema withRequiredField(Schema schema) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(schema.toString());
        ((ArrayNode) json.get("fields")).addObject().put("name", "mandatoryNewField").put("type", "string");
        return new Schema.Parser().parse(json.toString());
    }
}
