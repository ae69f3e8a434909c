package io.samplingbroker.reviewconsole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.samplingbroker.serviceruntime.ConfigSource;

class ReviewConsoleConfigTest {

    private static final String HASH = PasswordHashing.hash("alice's password".toCharArray());

    @Test
    void givenOnlyAReviewer_whenRead_thenTheDocumentedDefaultsApply() {
        // When
        ReviewConsoleConfig config = ReviewConsoleConfig.fromSettings(Map.of("review.reviewers.alice", HASH));
        // Then
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8090);
        assertThat(config.reviewers()).containsOnlyKeys("alice");
        assertThat(config.sessionTtl()).isEqualTo(Duration.ofHours(8));
        assertThat(config.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.decisionTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void givenEnvironmentVariables_whenLoaded_thenTheyReachTheConsoleAndItsReviewers() {
        // Given
        Map<String, String> environment = Map.of("SAMPLING_REVIEW_CONSOLE_PORT", "0", "SAMPLING_REVIEW_REVIEWERS_ALICE", HASH,
                "SAMPLING_REVIEW_CONSOLE_DECISION_TIMEOUT_MS", "2500");
        // When
        ReviewConsoleConfig config = ReviewConsoleConfig.fromSettings(ConfigSource.load(null, environment));
        // Then
        assertThat(config.port()).isZero();
        assertThat(config.reviewers()).containsOnlyKeys("alice");
        assertThat(config.decisionTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void givenAPortOutOfRange_whenRead_thenTheKeyIsNamed() {
        // Then
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(Map.of("review.console.port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("review.console.port");
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(Map.of("review.console.port", "http")))
                .hasMessageContaining("review.console.port");
    }

    @Test
    void givenNoReviewers_whenRead_thenStartUpStopsSayingSo() {
        // Then
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(Map.of("review.console.port", "8090")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no reviewer")
                .hasMessageContaining("review.reviewers.<name>");
    }

    @Test
    void givenAMalformedHash_whenRead_thenTheReviewersKeyIsNamed() {
        // Given
        Map<String, String> settings = new HashMap<>(Map.of("review.reviewers.alice", HASH,
                "review.reviewers.bob", "hunter2"));
        // Then
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(settings))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("review.reviewers.bob:")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void givenReviewersTenants_whenRead_thenEachSeesTheirsAndAnUnnamedReviewerSeesAll() {
        ReviewConsoleConfig config = ReviewConsoleConfig.fromSettings(Map.of("review.reviewers.alice", HASH,
                "review.reviewers.bob", HASH, "review.tenants.alice", "acme, globex-*"));

        assertThat(config.tenantsOf("alice").sees("globex-eu")).isTrue();
        assertThat(config.tenantsOf("alice").sees("initech")).isFalse();
        assertThat(config.tenantsOf("alice").sees((String) null)).as("an item without a tenant").isFalse();
        assertThat(config.tenantsOf("bob").sees("initech")).isTrue();
        assertThat(config.tenantsOf("bob").sees((String) null)).isTrue();
        assertThat(config.toString()).contains("alice=acme, globex-*");
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(Map.of("review.reviewers.alice", HASH,
                "review.tenants.mallory", "acme"))).hasMessageContaining("review.tenants.mallory names no reviewer");
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(Map.of("review.reviewers.alice", HASH,
                "review.tenants.alice", " , "))).hasMessageContaining("review.tenants.alice names no tenant");
    }

    @Test
    void givenBadValues_whenRead_thenEachNamesItsKey() {
        // Then
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(Map.of("review.reviewers.alice", HASH,
                "review.console.decision.timeout.ms", "soon")))
                .hasMessageContaining("review.console.decision.timeout.ms");
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(Map.of("review.reviewers.alice", HASH,
                "review.console.session.ttl.ms", "0")))
                .hasMessageContaining("review.console.session.ttl.ms");
        assertThatThrownBy(() -> ReviewConsoleConfig.fromSettings(Map.of("review.reviewers.Alice Smith", HASH)))
                .hasMessageContaining("review.reviewers.Alice Smith");
    }

    @Test
    void givenReviewers_whenPrinted_thenNamesShowAndHashesDoNot() {
        // Given
        ReviewConsoleConfig config = ReviewConsoleConfig.fromSettings(Map.of("review.reviewers.alice", HASH));
        // When
        String printed = config.toString();
        // Then
        assertThat(printed).contains("alice").contains("redacted").doesNotContain(HASH)
                .doesNotContain(HASH.split("\\$")[3]);
    }
}
