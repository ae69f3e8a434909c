package io.samplingbroker.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RegistrySerdeConfigTest {

    @Test
    void givenConfluentStyleKeys_whenRead_thenEverySettingIsTaken() {
        RegistrySerdeConfig config = RegistrySerdeConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://a:8081/, http://b:8081",
                "auto.register.schemas", "false",
                "use.latest.version", true,
                "latest.cache.ttl.sec", "60",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:s3cret",
                "schema.registry.retry.max.ms", "1500"));

        assertThat(config.urls()).containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081"));
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.latestCacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.basicAuthUserInfo()).contains("svc:s3cret");
        assertThat(config.retryMax()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void givenCredentialsInTheUrl_whenRead_thenTheyAreMovedOutOfTheUrlAndNeverPrinted() {
        RegistrySerdeConfig config = RegistrySerdeConfig.fromConfigs(Map.of(
                "schema.registry.url", "https://svc:s3cret@registry.example:443/apis/ccompat/v7"));

        assertThat(config.urls()).containsExactly(URI.create("https://registry.example:443/apis/ccompat/v7"));
        assertThat(config.basicAuthUserInfo()).contains("svc:s3cret");
        assertThat(config.toString()).doesNotContain("s3cret").contains("[redacted]");
    }

    @Test
    void givenNoUrl_whenRead_thenTheErrorNamesTheKey() {
        assertThatThrownBy(() -> RegistrySerdeConfig.fromConfigs(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url is required");
    }

    @Test
    void givenAnotherSubjectNameStrategy_whenRead_thenItIsRefusedWithTheReason() {
        assertThatThrownBy(() -> RegistrySerdeConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://r:8081",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("only TopicNameStrategy");
    }

    @Test
    void givenBadValues_whenRead_thenEachIsRefusedByName() {
        assertThatThrownBy(() -> RegistrySerdeConfig.fromConfigs(Map.of("schema.registry.url", "ftp://r")))
                .hasMessageContaining("must be an http or https URL");
        assertThatThrownBy(() -> RegistrySerdeConfig.fromConfigs(Map.of("schema.registry.url", "http://r",
                "auto.register.schemas", "yes"))).hasMessageContaining("auto.register.schemas");
        assertThatThrownBy(() -> RegistrySerdeConfig.fromConfigs(Map.of("schema.registry.url", "http://r",
                "schema.registry.retry.max.ms", "soon"))).hasMessageContaining("schema.registry.retry.max.ms");
        assertThatThrownBy(() -> new RegistrySerdeConfig(List.of(URI.create("http://r")), Optional.of("nocolon"), true,
                false, Duration.ZERO, Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ZERO, true))
                .hasMessageContaining("user:password");
    }
}
