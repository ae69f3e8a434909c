package io.samplingbroker.serviceruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

    @Test
    void givenAYamlFileAndEnvironment_whenLoaded_thenNestedKeysAreDottedAndTheEnvironmentWins(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("service.yaml");
        Files.writeString(file, """
                kafka:
                  bootstrap.servers: file-host:9092
                  producer:
                    linger.ms: 1
                schema.registry.url: http://file-registry
                topics:
                  prefix: acme.
                  dead-letters:
                    config:
                      retention.ms: 1000
                hosts: [a, b]
                """);

        Map<String, String> settings = ConfigSource.load(file, Map.of(
                "SAMPLING_KAFKA_BOOTSTRAP_SERVERS", "env-host:9092",
                "SAMPLING_TOPICS_DEAD__LETTERS_CONFIG_RETENTION_MS", "5",
                "PATH", "/usr/bin"));

        assertThat(settings).containsEntry("kafka.bootstrap.servers", "env-host:9092")
                .containsEntry("kafka.producer.linger.ms", "1")
                .containsEntry("schema.registry.url", "http://file-registry")
                .containsEntry("topics.prefix", "acme.")
                .containsEntry("topics.dead-letters.config.retention.ms", "5")
                .containsEntry("hosts", "a,b")
                .doesNotContainKey("path");
    }

    @Test
    void givenBrokenYaml_whenLoaded_thenTheErrorNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "kafka:\n  bootstrap.servers: [unclosed\n");

        assertThatThrownBy(() -> ConfigSource.load(file, Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith(file + ":2:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void givenAMissingFile_whenLoaded_thenTheErrorSaysSo(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigSource.load(dir.resolve("nope.yaml"), Map.of()))
                .hasMessageEndingWith("nope.yaml: no such configuration file");
    }

    @Test
    void givenKafkaSettings_whenBuilt_thenClientMapsArePrefixedAndSecretsAreRedacted() {
        KafkaSettings kafka = KafkaSettings.from(Map.of(
                "kafka.bootstrap.servers", "h:9092",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"p\";",
                "kafka.producer.linger.ms", "2",
                "kafka.consumer.max.poll.records", "50",
                "schema.registry.url", "http://r",
                "basic.auth.user.info", "u:p"));

        assertThat(kafka.producerConfig()).containsEntry("linger.ms", "2").containsEntry("bootstrap.servers", "h:9092")
                .doesNotContainKey("max.poll.records").containsEntry("schema.registry.url", "http://r");
        assertThat(kafka.consumerConfig("g")).containsEntry("group.id", "g").containsEntry("max.poll.records", "50");
        assertThat(kafka.toString()).doesNotContain("password=").doesNotContain("u:p").contains("[redacted]");
    }

    @Test
    void givenNoBootstrapServers_whenBuilt_thenTheErrorNamesKeyAndVariable() {
        assertThatThrownBy(() -> KafkaSettings.from(Map.of("schema.registry.url", "http://r")))
                .hasMessageContaining("kafka.bootstrap.servers is required")
                .hasMessageContaining("SAMPLING_KAFKA_BOOTSTRAP_SERVERS");
    }
}
