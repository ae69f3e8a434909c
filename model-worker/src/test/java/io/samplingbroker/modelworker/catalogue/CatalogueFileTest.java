package io.samplingbroker.modelworker.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.samplingbroker.serviceruntime.ConfigFileException;

class CatalogueFileTest {

    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-test-secret-1234");

    @Test
    void givenTheShippedSampleCatalogue_whenLoadedWithItsKeyInTheEnvironment_thenProvidersModelsAndRatingsAreRead()
            throws IOException {
        ModelCatalogue catalogue = CatalogueFile.parse("sample-models.yaml", sample(), ENV);

        assertThat(catalogue.defaultModel()).isEqualTo("gpt-4o-mini");
        assertThat(catalogue.models()).extracting(CatalogueModel::name)
                .containsExactly("gpt-4o-mini", "gpt-4o", "llama3.1-8b-local", "offline-echo");
        ProviderSettings openai = catalogue.providers().get("openai");
        assertThat(openai.type()).isEqualTo(ProviderType.OPENAI_COMPATIBLE);
        assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(openai.apiKey()).isEqualTo("sk-test-secret-1234");
        assertThat(openai.maxRetries()).isEqualTo(2);
        ProviderSettings ollama = catalogue.providers().get("ollama");
        assertThat(ollama.apiKey()).isNull();
        assertThat(ollama.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(ollama.maxConcurrency()).isEqualTo(2);
        assertThat(catalogue.model("llama3.1-8b-local").orElseThrow().providerModel()).isEqualTo("llama3.1:8b");
        assertThat(catalogue.model("offline-echo").orElseThrow().providerModel()).isEqualTo("offline-echo");
        assertThat(catalogue.model("gpt-4o").orElseThrow().ratings()).isEqualTo(new Ratings(0.3, 0.6, 0.9));
        assertThat(catalogue.model("gpt-4o").orElseThrow().fallbacks()).containsExactly("gpt-4o-mini",
                "llama3.1-8b-local");
        assertThat(openai.circuitBreaker()).isEqualTo(CircuitBreakerSettings.DEFAULT);
    }

    @Test
    void givenACatalogue_whenPrinted_thenTheApiKeyIsRedacted() throws IOException {
        ModelCatalogue catalogue = CatalogueFile.parse("sample-models.yaml", sample(), ENV);

        assertThat(catalogue.toString()).doesNotContain("sk-test-secret-1234").contains("[redacted]");
    }

    @Test
    void givenApiKeyEnvNamingAnUnsetVariable_whenLoaded_thenStartUpStopsNamingTheVariable() throws IOException {
        assertThatThrownBy(() -> CatalogueFile.parse("sample-models.yaml", sample(), Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("OPENAI_API_KEY")
                .hasMessageContaining("provider 'openai'");
    }

    @Test
    void givenAMisspelledKey_whenLoaded_thenTheErrorNamesTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("models.yaml");
        Files.writeString(file, """
                providers:
                  local: {type: openai-compatible, baseURL: http://127.0.0.1:8000/v1}
                models:
                  - {name: qwen, provider: local}
                """);

        assertThatThrownBy(() -> CatalogueFile.load(file, Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("baseURL");
    }

    @Test
    void givenAnUnknownProviderType_whenLoaded_thenTheKnownTypesAreNamed() {
        assertThatThrownBy(() -> CatalogueFile.parse("m.yaml", """
                providers: {x: {type: bedrock}}
                models: [{name: a, provider: x}]
                """, Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("'openai-compatible', 'openai-responses', 'anthropic' or 'offline', not 'bedrock'");
    }

    @Test
    void givenAnAnthropicProviderWithoutBaseUrl_whenLoaded_thenAnthropicsOwnEndpointAndTheKeyFromTheEnvironment() {
        ModelCatalogue catalogue = CatalogueFile.parse("m.yaml", """
                providers: {claude: {type: anthropic, apiKeyEnv: ANTHROPIC_API_KEY}}
                models: [{name: claude-sonnet-4-5, provider: claude}]
                """, Map.of("ANTHROPIC_API_KEY", "sk-ant-secret"));

        ProviderSettings claude = catalogue.providers().get("claude");
        assertThat(claude.type()).isEqualTo(ProviderType.ANTHROPIC);
        assertThat(claude.baseUrl()).isNull();
        assertThat(claude.apiKey()).isEqualTo("sk-ant-secret");
        assertThat(claude.toString()).doesNotContain("sk-ant-secret");
    }

    @Test
    void givenARatingOutsideZeroToOne_whenLoaded_thenTheModelAndAxisAreNamed() {
        assertThatThrownBy(() -> CatalogueFile.parse("m.yaml", """
                providers: {offline: {type: offline}}
                models: [{name: echo, provider: offline, ratings: {speed: 7}}]
                """, Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("model 'echo'")
                .hasMessageContaining("speed");
    }

    @Test
    void givenAModelOfAnUnconfiguredProvider_whenLoaded_thenTheConfiguredOnesAreListed() {
        assertThatThrownBy(() -> CatalogueFile.parse("m.yaml", """
                providers: {offline: {type: offline}}
                models: [{name: gpt-4o, provider: openai}]
                """, Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("'openai'")
                .hasMessageContaining("[offline]");
    }

    @Test
    void givenNoDefaultModelAndUnratedModels_whenLoaded_thenTheFirstModelIsDefaultAndRatingsAreNeutral() {
        ModelCatalogue catalogue = CatalogueFile.parse("m.yaml", """
                providers: {local: {type: openai-compatible, baseUrl: "http://127.0.0.1:8000/v1"}}
                models: [{name: qwen2.5-7b, provider: local}, {name: phi-4, provider: local}]
                """, Map.of());

        assertThat(catalogue.defaultModel()).isEqualTo("qwen2.5-7b");
        assertThat(catalogue.models().get(1).ratings()).isEqualTo(new Ratings(0.5, 0.5, 0.5));
        assertThat(catalogue.providers().get("local").timeout()).isEqualTo(ProviderSettings.DEFAULT_TIMEOUT);
    }

    @Test
    void givenFallbacksAndACircuitBreaker_whenLoaded_thenTheChainIsInOrderAndUnsetBreakerKeysTakeTheDefaults() {
        ModelCatalogue catalogue = CatalogueFile.parse("m.yaml", """
                providers:
                  claude: {type: anthropic, apiKey: k, circuitBreaker: {failureThreshold: 3, openMs: 5000}}
                  local: {type: openai-compatible, baseUrl: "http://127.0.0.1:8000/v1"}
                  offline: {type: offline}
                models:
                  - {name: claude-sonnet-4-5, provider: claude, fallbacks: [qwen2.5-7b, OFFLINE-ECHO]}
                  - {name: qwen2.5-7b, provider: local}
                  - {name: offline-echo, provider: offline}
                """, Map.of());

        assertThat(catalogue.chain(catalogue.defaults())).extracting(CatalogueModel::name)
                .containsExactly("claude-sonnet-4-5", "qwen2.5-7b", "offline-echo");
        assertThat(catalogue.chain(catalogue.model("qwen2.5-7b").orElseThrow())).hasSize(1);
        assertThat(catalogue.providers().get("claude").circuitBreaker()).isEqualTo(new CircuitBreakerSettings(3,
                CircuitBreakerSettings.DEFAULT.failureRatio(), CircuitBreakerSettings.DEFAULT.window(),
                Duration.ofSeconds(5)));
        assertThat(catalogue.providers().get("local").circuitBreaker()).isEqualTo(CircuitBreakerSettings.DEFAULT);
        assertThat(catalogue.providers().get("offline").circuitBreaker().enabled()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[gpt-5]                     | fallback 'gpt-5' is not a model of the catalogue",
        "[qwen]                      | model 'qwen' names itself as a fallback",
        "[echo, Echo]                | names fallback 'Echo' twice"})
    void givenABadFallback_whenLoaded_thenStartUpStopsNamingTheModelAndTheFault(String fallbacks, String error) {
        assertThatThrownBy(() -> CatalogueFile.parse("m.yaml", """
                providers: {offline: {type: offline}}
                models: [{name: qwen, provider: offline, fallbacks: %s}, {name: echo, provider: offline}]
                """.formatted(fallbacks), Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("m.yaml: ")
                .hasMessageContaining(error);
    }

    @Test
    void givenAFailureRatioAboveOne_whenLoaded_thenTheProviderAndKeyAreNamed() {
        assertThatThrownBy(() -> CatalogueFile.parse("m.yaml", """
                providers: {local: {type: openai-compatible, baseUrl: "http://h/v1", circuitBreaker: {failureRatio: 2}}}
                models: [{name: qwen, provider: local}]
                """, Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("provider 'local'")
                .hasMessageContaining("circuitBreaker.failureRatio");
    }

    @Test
    void givenNoCatalogue_whenUsingTheDefault_thenOnlyTheOfflineModelIsThere() {
        ModelCatalogue catalogue = ModelCatalogue.offlineOnly();

        assertThat(catalogue.models()).extracting(CatalogueModel::name).containsExactly("offline-echo");
        assertThat(catalogue.providers().get("offline").type()).isEqualTo(ProviderType.OFFLINE);
    }

    static String sample() throws IOException {
        try (InputStream in = CatalogueFileTest.class.getResourceAsStream("/sample-models.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
