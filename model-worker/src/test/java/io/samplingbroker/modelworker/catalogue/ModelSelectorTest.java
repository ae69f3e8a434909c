package io.samplingbroker.modelworker.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.mcp.ModelHint;
import io.samplingbroker.events.mcp.ModelPreferences;

class ModelSelectorTest {

    /** cheap-fast, a balanced middle one, a smart-expensive one, and the offline model; default: gpt-4o-mini. */
    private static final ModelCatalogue CATALOGUE = catalogue(
            model("gpt-4o-mini", "openai", 0.9, 0.8, 0.6),
            model("claude-3-5-sonnet", "anthropic-proxy", 0.4, 0.6, 0.9),
            model("gpt-4o", "openai", 0.3, 0.6, 0.9),
            model("llama3.1-8b-local", "ollama", 1.0, 0.4, 0.4));

    private final ModelSelector selector = new ModelSelector(CATALOGUE);

    @Test
    void givenAForcedModel_whenSelecting_thenItWinsOverHintsAndPriorities() {
        ModelSelection selection = selector.select("GPT-4O", preferences(List.of("llama"), 1.0, 1.0, 0.0));

        assertThat(selection.model().name()).isEqualTo("gpt-4o");
        assertThat(selection.rule()).isEqualTo(ModelSelection.Rule.FORCED);
    }

    @Test
    void givenAForcedModelNotInTheCatalogue_whenSelecting_thenNoModelMatches() {
        assertThatThrownBy(() -> selector.select("o3-pro", null))
                .isInstanceOf(NoModelMatchesException.class)
                .hasMessageContaining("o3-pro");
    }

    @Test
    void givenHintsInOrder_whenTheFirstMatchesNothing_thenTheFirstHintThatMatchesWins() {
        ModelSelection selection = selector.select(null, preferences(List.of("gemini", "Sonnet", "gpt"), null, null, null));

        assertThat(selection.model().name()).isEqualTo("claude-3-5-sonnet");
        assertThat(selection.rule()).isEqualTo(ModelSelection.Rule.HINT);
    }

    @Test
    void givenAHintMatchingSeveralModels_whenSelecting_thenTheFirstInCatalogueOrderWins() {
        ModelSelection selection = selector.select(null, preferences(List.of("4o"), null, null, 1.0));

        assertThat(selection.model().name()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void givenHintsThatMatchNothing_whenPrioritiesAreGiven_thenTheBestWeightedScoreWins() {
        // intelligence-heavy: gpt-4o and claude tie on intelligence; claude is cheaper, so it scores higher
        ModelSelection selection = selector.select(null, preferences(List.of("gemini"), 0.3, 0.1, 0.9));

        assertThat(selection.model().name()).isEqualTo("claude-3-5-sonnet");
        assertThat(selection.rule()).isEqualTo(ModelSelection.Rule.PRIORITIES);
    }

    @Test
    void givenCostAndSpeedPriorities_whenSelecting_thenTheCheapFastModelWins() {
        ModelSelection selection = selector.select(null, preferences(null, 1.0, 1.0, 0.0));

        assertThat(selection.model().name()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void givenOnlyACostPriority_whenSelecting_thenTheCheapestModelWins() {
        assertThat(selector.select(null, preferences(null, 0.8, null, null)).model().name())
                .isEqualTo("llama3.1-8b-local");
    }

    @Test
    void givenEqualScores_whenSelecting_thenCatalogueOrderBreaksTheTie() {
        // claude and gpt-4o are rated the same on intelligence and speed
        ModelSelection selection = selector.select(null, preferences(null, null, 0.5, 0.5));

        assertThat(selection.model().name()).isEqualTo("claude-3-5-sonnet");
    }

    @Test
    void givenNoPreferences_whenSelecting_thenTheDefaultModelIsUsed() {
        ModelSelection selection = selector.select(null, null);

        assertThat(selection.model().name()).isEqualTo("gpt-4o-mini");
        assertThat(selection.rule()).isEqualTo(ModelSelection.Rule.DEFAULT);
    }

    @Test
    void givenAllPrioritiesZeroAndNoMatchingHint_whenSelecting_thenTheDefaultModelIsUsed() {
        ModelSelection selection = selector.select(null, preferences(List.of("mistral"), 0.0, 0.0, 0.0));

        assertThat(selection.model().name()).isEqualTo(CATALOGUE.defaultModel());
        assertThat(selection.rule()).isEqualTo(ModelSelection.Rule.DEFAULT);
    }

    @Test
    void givenTheDefaultCatalogue_whenSelectingWithAnyHint_thenTheOfflineModelAnswers() {
        ModelSelector offline = new ModelSelector(ModelCatalogue.offlineOnly());

        assertThat(offline.select(null, preferences(List.of("claude-3-sonnet"), 0.2, 0.2, 1.0)).model().name())
                .isEqualTo("offline-echo");
    }

    static ModelPreferences preferences(List<String> hints, Double cost, Double speed, Double intelligence) {
        return ModelPreferences.newBuilder()
                .setHints(hints == null ? null : hints.stream().map(h -> ModelHint.newBuilder().setName(h).build()).toList())
                .setCostPriority(cost)
                .setSpeedPriority(speed)
                .setIntelligencePriority(intelligence)
                .build();
    }

    private static CatalogueModel model(String name, String provider, double cost, double speed, double intelligence) {
        return new CatalogueModel(name, provider, null, new Ratings(cost, speed, intelligence));
    }

    private static ModelCatalogue catalogue(CatalogueModel... models) {
        Map<String, ProviderSettings> providers = new LinkedHashMap<>();
        for (CatalogueModel model : models) {
            providers.putIfAbsent(model.provider(), ProviderSettings.openAiCompatible(model.provider(),
                    "http://127.0.0.1:9/v1", null));
        }
        return new ModelCatalogue(providers, List.of(models), null);
    }
}
