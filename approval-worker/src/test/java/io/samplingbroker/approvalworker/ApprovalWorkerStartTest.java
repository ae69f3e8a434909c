package io.samplingbroker.approvalworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.approvalworker.policy.PolicyFileException;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;

/** Start-up fails fast and says why: a bad policy before anything connects, an unreachable Kafka within the timeout. */
class ApprovalWorkerStartTest {

    @TempDir
    Path dir;

    /** Nothing listens on port 1 of the loopback interface. */
    private static final KafkaSettings NO_KAFKA = KafkaSettings.of("127.0.0.1:1", "http://127.0.0.1:1",
            TopicsConfig.defaults());

    @Test
    void givenAPolicyWithAnUnknownField_whenStarting_thenStartUpStopsNamingTheFileLineAndField() throws IOException {
        // Given
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "defaultAction: approve\nrulez: []\n");
        ApprovalWorkerConfig config = ApprovalWorkerConfig.of(NO_KAFKA, policy.toString());
        // When / Then
        assertThatThrownBy(() -> ApprovalWorker.start(config))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageStartingWith(policy + ":2:1: rulez: unknown field 'rulez'");
    }

    @Test
    void givenKafkaIsUnreachable_whenStarting_thenItFailsWithinTheTimeoutNamingKafka() {
        // Given
        ApprovalWorkerConfig config = new ApprovalWorkerConfig(
                new KafkaSettings(Map.of("bootstrap.servers", "127.0.0.1:1"), Map.of(), Map.of(),
                        Map.of("default.api.timeout.ms", "1500", "request.timeout.ms", "1000"), Map.of(),
                        Map.of("schema.registry.url", "http://127.0.0.1:1"), TopicsConfig.defaults()),
                ApprovalWorkerConfig.SAMPLE_POLICY, "approval-start-test", Duration.ofSeconds(2), null);
        // When / Then
        long started = System.nanoTime();
        assertThatThrownBy(() -> ApprovalWorker.start(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:1");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofSeconds(15));
    }
}
