package io.samplingbroker.serviceruntime.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TracingSettingsTest {

    @Test
    void givenNoSettings_whenRead_thenTracingIsOff() {
        TracingSettings settings = TracingSettings.fromSettings(Map.of());

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.sampleRatio()).isEqualTo(1.0);
    }

    @Test
    void givenAnEndpointHeadersAndARatio_whenRead_thenAllAreKeptAndTheHeaderValuesNeverPrinted() {
        TracingSettings settings = TracingSettings.fromSettings(Map.of(
                "tracing.otlp.endpoint", " https://collector.example:4318/v1/traces ",
                "tracing.otlp.headers", "Authorization=Bearer s3cret-token, x-tenant = acme",
                "tracing.sample-ratio", "0.25"));

        assertThat(settings.otlpEndpoint()).hasToString("https://collector.example:4318/v1/traces");
        assertThat(settings.otlpHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of("Authorization",
                "Bearer s3cret-token", "x-tenant", "acme"));
        assertThat(settings.sampleRatio()).isEqualTo(0.25);
        assertThat(settings.toString()).contains("Authorization=[redacted]").doesNotContain("s3cret")
                .doesNotContain("acme");
    }

    @Test
    void givenBadValues_whenRead_thenTheSettingIsNamedAndNoHeaderTextIsRepeated() {
        assertThatThrownBy(() -> TracingSettings.fromSettings(Map.of("tracing.otlp.endpoint", "collector:4318")))
                .hasMessageContaining("tracing.otlp.endpoint must be an http(s) URL");
        assertThatThrownBy(() -> TracingSettings.fromSettings(Map.of("tracing.otlp.endpoint", "http://bad host/")))
                .hasMessageContaining("tracing.otlp.endpoint is not a URL");
        assertThatThrownBy(() -> TracingSettings.fromSettings(Map.of("tracing.sample-ratio", "1.5")))
                .hasMessageContaining("tracing.sample-ratio must be between 0 and 1");
        assertThatThrownBy(() -> TracingSettings.fromSettings(Map.of("tracing.sample-ratio", "half")))
                .hasMessageContaining("tracing.sample-ratio must be a number");
        assertThatThrownBy(() -> TracingSettings.fromSettings(Map.of("tracing.otlp.headers", "a=1,s3cret-token")))
                .hasMessageContaining("pair 2 has no name=").message().doesNotContain("s3cret");
    }
}
