package io.samplingbroker.approvalworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/** Configuration from a YAML file and the environment, checked when built, secrets kept out of logs. */
class ApprovalWorkerConfigTest {

    private static final DeadLetterMeter METER = new DeadLetterMeter(ServiceMetrics.create(Service.APPROVAL_WORKER));

    @TempDir
    Path dir;

    @Test
    void givenAFileAndEnvironmentOverrides_whenLoaded_thenTheEnvironmentWinsAndDefaultsFillTheRest() throws IOException {
        // Given
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "defaultAction: approve\n");
        Path file = Files.writeString(dir.resolve("approval.yaml"), """
                kafka:
                  bootstrap.servers: file-host:9092
                  streams:
                    num.stream.threads: 2
                schema.registry.url: http://registry:8081/apis/ccompat/v7
                policy.file: %s
                topics.prefix: team-a.
                """.formatted(policy));
        // When
        ApprovalWorkerConfig config = ApprovalWorkerConfig.load(file,
                Map.of("SAMPLING_KAFKA_BOOTSTRAP_SERVERS", "env-host:9092", "SAMPLING_STARTUP_TIMEOUT_MS", "5000"));
        // Then
        assertThat(config.kafka().bootstrapServers()).isEqualTo("env-host:9092");
        assertThat(config.policyFile()).isEqualTo(policy.toString());
        assertThat(config.applicationId()).isEqualTo("sampling-approval-worker");
        assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.kafka().samplingTopics().requests().name()).isEqualTo("team-a.requests");
        assertThat(config.kafka().streams()).containsEntry("num.stream.threads", "2");
    }

    @Test
    void givenMissingOrWrongSettings_whenBuilt_thenTheErrorNamesTheKey() {
        Map<String, String> base = Map.of("kafka.bootstrap.servers", "k:9092", "schema.registry.url", "http://r");
        assertThatThrownBy(() -> ApprovalWorkerConfig.fromSettings(base))
                .isInstanceOf(ConfigException.class).hasMessageContaining("policy.file is required")
                .hasMessageContaining("SAMPLING_POLICY_FILE");
        assertThatThrownBy(() -> ApprovalWorkerConfig.fromSettings(with(base, "policy.file", dir.resolve("none.yaml").toString())))
                .hasMessageContaining("policy.file").hasMessageContaining("no such file");
        Map<String, String> withPolicy = with(base, "policy.file", ApprovalWorkerConfig.SAMPLE_POLICY);
        assertThatThrownBy(() -> ApprovalWorkerConfig.fromSettings(with(withPolicy, "application.id", "has space")))
                .hasMessageContaining("application.id");
        assertThatThrownBy(() -> ApprovalWorkerConfig.fromSettings(with(withPolicy, "kafka.streams.application.id", "x")))
                .hasMessageContaining("set application.id instead");
        assertThatThrownBy(() -> ApprovalWorkerConfig.fromSettings(with(withPolicy, "startup.timeout.ms", "soon")))
                .hasMessageContaining("startup.timeout.ms");
    }

    @Test
    void givenCredentialsInTheSettings_whenPrinted_thenTheyAreRedacted() {
        // Given
        ApprovalWorkerConfig config = ApprovalWorkerConfig.fromSettings(Map.of(
                "kafka.bootstrap.servers", "k:9092",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"hunter2\";",
                "schema.registry.url", "http://r",
                "basic.auth.user.info", "alice:s3cret",
                "policy.file", ApprovalWorkerConfig.SAMPLE_POLICY));
        // When
        String printed = config.toString();
        // Then
        assertThat(printed).doesNotContain("hunter2").doesNotContain("s3cret").contains("[redacted]")
                .contains("policy.file=classpath:sample-policy.yaml");
    }

    @Test
    void givenNoStreamsOverrides_whenStreamsPropertiesAreBuilt_thenTheyFavourLatencyWithAtLeastOnce() {
        // Given
        ApprovalWorkerConfig config = ApprovalWorkerConfig.fromSettings(Map.of("kafka.bootstrap.servers", "k:9092",
                "schema.registry.url", "http://r", "policy.file", ApprovalWorkerConfig.SAMPLE_POLICY,
                "application.id", "approvals-eu"));
        // When
        Properties properties = StreamsProperties.of(config, config.applicationId(), "decision", METER);
        // Then
        assertThat(properties)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "approvals-eu")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0")
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "sampling.dead-letters")
                .doesNotContainKey("schema.registry.url");
    }

    @Test
    void givenStreamsSettingsInTheConfiguration_whenStreamsPropertiesAreBuilt_thenTheyOverrideTheDefaults() {
        // Given
        ApprovalWorkerConfig config = ApprovalWorkerConfig.fromSettings(Map.of("kafka.bootstrap.servers", "k:9092",
                "schema.registry.url", "http://r", "policy.file", ApprovalWorkerConfig.SAMPLE_POLICY,
                "kafka.streams.processing.guarantee", "exactly_once_v2", "kafka.streams.state.dir", "/var/lib/aw"));
        // When
        Properties properties = StreamsProperties.of(config, config.applicationId(), "decision", METER);
        // Then
        assertThat(properties)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/aw");
    }

    @Test
    void givenAnEmbeddedConfig_whenStreamsSettingsAreAdded_thenTheyReachKafkaStreamsAndTheRestIsKept() {
        // Given
        ApprovalWorkerConfig config = ApprovalWorkerConfig.of(KafkaSettings.of("k:9092",
                "http://r", TopicsConfig.defaults()), ApprovalWorkerConfig.SAMPLE_POLICY)
                .withApplicationId("embedded");
        // When
        Properties properties = StreamsProperties.of(config.withStreamsSettings(Map.of("state.dir", "/data/approval")),
                config.applicationId(), "review", METER);
        // Then
        assertThat(properties).containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/data/approval")
                .containsEntry(StreamsConfig.CLIENT_ID_CONFIG, "approval-worker-review")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "embedded")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
    }

    private static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put(key, value);
        return copy;
    }
}
