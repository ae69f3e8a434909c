package io.samplingbroker.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DevStackConfigTest {

    @Test
    void givenNoEnvironment_thenTheDefaultsApply() {
        DevStackConfig config = DevStackConfig.fromEnvironment(Map.of());

        assertThat(config.kafkaPort()).isEqualTo(19092);
        assertThat(config.registryPort()).isEqualTo(18081);
        assertThat(config.dataDir().isAbsolute()).isTrue();
        assertThat(config.dataDir().getFileName().toString()).isEqualTo(".dev-stack");
        assertThat(config.topicPrefix()).isEqualTo("sampling.");
        assertThat(config.tracing().enabled()).isFalse();
    }

    @Test
    void givenTheServicesTracingVariables_thenTheStackExportsWhereTheySay() {
        DevStackConfig config = DevStackConfig.fromEnvironment(Map.of("SAMPLING_TRACING_OTLP_ENDPOINT",
                "http://127.0.0.1:4318/v1/traces", "SAMPLING_TRACING_SAMPLE__RATIO", "0.5"));

        assertThat(config.tracing().otlpEndpoint()).hasToString("http://127.0.0.1:4318/v1/traces");
        assertThat(config.tracing().sampleRatio()).isEqualTo(0.5);
    }

    @Test
    void givenEnvironmentOverrides_thenTheyWin() {
        DevStackConfig config = DevStackConfig.fromEnvironment(Map.of("SAMPLING_DEV_KAFKA_PORT", "29092",
                "SAMPLING_DEV_DATA_DIR", "/tmp/x", "SAMPLING_DEV_TOPIC_PREFIX", "demo."));

        assertThat(config.kafkaPort()).isEqualTo(29092);
        assertThat(config.dataDir()).isEqualTo(java.nio.file.Path.of("/tmp/x"));
        assertThat(config.topicPrefix()).isEqualTo("demo.");
    }

    @Test
    void givenBadPorts_thenTheVariableIsNamed() {
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(Map.of("SAMPLING_DEV_REGISTRY_PORT", "http")))
                .hasMessageContaining("SAMPLING_DEV_REGISTRY_PORT must be a port number");
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(Map.of("SAMPLING_DEV_KAFKA_PORT", "18081")))
                .hasMessageContaining("must differ");
    }
}
