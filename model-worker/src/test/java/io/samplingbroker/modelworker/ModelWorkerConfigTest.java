package io.samplingbroker.modelworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.serviceruntime.ConfigFileException;

class ModelWorkerConfigTest {

    @Test
    void givenAConfigFileAndEnvironmentOverrides_whenLoaded_thenTheEnvironmentWinsAndTheCatalogueIsRead(
            @TempDir Path dir) throws IOException {
        Path models = dir.resolve("models.yaml");
        Files.writeString(models, """
                providers:
                  openai: {type: openai-compatible, baseUrl: "https://api.openai.com/v1", apiKeyEnv: OPENAI_API_KEY}
                models: [{name: gpt-4o-mini, provider: openai}]
                """);
        Path config = dir.resolve("model-worker.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap.servers: 127.0.0.1:9092
                schema.registry.url: http://127.0.0.1:8081/apis/ccompat/v7
                topics.prefix: team-a.
                group.id: from-file
                max.in.flight: 8
                models.file: %s
                """.formatted(models));

        ModelWorkerConfig loaded = ModelWorkerConfig.load(config, Map.of(
                "SAMPLING_GROUP_ID", "from-env",
                "SAMPLING_LOOKBACK_MS", "60000",
                "OPENAI_API_KEY", "sk-live-abcdef"));

        assertThat(loaded.groupId()).isEqualTo("from-env");
        assertThat(loaded.maxInFlight()).isEqualTo(8);
        assertThat(loaded.lookback()).isEqualTo(Duration.ofMinutes(1));
        assertThat(loaded.drainTimeout()).isEqualTo(ModelWorkerConfig.DEFAULT_DRAIN_TIMEOUT);
        assertThat(loaded.kafka().topics().prefix()).isEqualTo("team-a.");
        assertThat(loaded.catalogue().defaultModel()).isEqualTo("gpt-4o-mini");
        assertThat(loaded.catalogue().providers().get("openai").apiKey()).isEqualTo("sk-live-abcdef");
        assertThat(loaded.toString()).doesNotContain("sk-live-abcdef").contains("[redacted]");
    }

    @Test
    void givenNoModelsFile_whenLoaded_thenTheOfflineCatalogueAndDefaultsApply() {
        ModelWorkerConfig loaded = ModelWorkerConfig.fromSettings(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "schema.registry.url", "http://127.0.0.1:8081"), Map.of());

        assertThat(loaded.catalogue().models()).extracting(m -> m.name()).containsExactly("offline-echo");
        assertThat(loaded.groupId()).isEqualTo("sampling-model-worker");
        assertThat(loaded.maxInFlight()).isEqualTo(64);
    }

    @Test
    void givenAMaxInFlightBelowOne_whenLoaded_thenTheKeyIsNamed() {
        assertThatThrownBy(() -> ModelWorkerConfig.fromSettings(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "schema.registry.url", "http://127.0.0.1:8081",
                "max.in.flight", "0"), Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("max.in.flight");
    }

    @Test
    void givenANonNumericLookback_whenLoaded_thenTheKeyAndValueAreNamed() {
        assertThatThrownBy(() -> ModelWorkerConfig.fromSettings(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "schema.registry.url", "http://127.0.0.1:8081",
                "lookback.ms", "15m"), Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("lookback.ms")
                .hasMessageContaining("15m");
    }

    @Test
    void givenRegistryCredentials_whenTheConfigIsPrinted_thenTheyAreRedacted() {
        ModelWorkerConfig loaded = ModelWorkerConfig.fromSettings(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"u\" password=\"kafka-secret\";",
                "schema.registry.url", "http://127.0.0.1:8081",
                "basic.auth.user.info", "user:registry-secret"), Map.of());

        assertThat(loaded.toString()).doesNotContain("kafka-secret").doesNotContain("registry-secret");
    }
}
