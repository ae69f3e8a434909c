package io.samplingbroker.modelworker.catalogue;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.samplingbroker.events.mcp.ModelHint;
import io.samplingbroker.events.mcp.ModelPreferences;

/**
 * Chooses the model for a request, by these rules in order:
 * <ol>
 *   <li>a model forced by the approval policy wins (it must be in the catalogue, by name, ignoring case);</li>
 *   <li>the server's hints, in order, as case-insensitive substrings of the catalogue's model names: the first hint
 *   that matches any model wins, and among its matches the first in catalogue order;</li>
 *   <li>the cost, speed and intelligence priorities as weights over each model's ratings: the highest weighted sum
 *   wins, ties go to catalogue order;</li>
 *   <li>otherwise (no hints matched and no positive priority) the catalogue's default model.</li>
 * </ol>
 * MCP says hints are advisory and that the client makes the final choice, so an unmatched hint is not an error.
 */
public final class ModelSelector {

    /** Scores closer than this are a tie (floating-point sums of equal weights differ in the last bits). */
    private static final double TIE = 1e-9;

    private final ModelCatalogue catalogue;

    public ModelSelector(ModelCatalogue catalogue) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    }

    /**
     * @param forcedModel the model the policy requires, or null
     * @param preferences the server's preferences, or null
     * @throws NoModelMatchesException when the forced model is not in the catalogue
     */
    public ModelSelection select(String forcedModel, ModelPreferences preferences) {
        if (forcedModel != null && !forcedModel.isBlank()) {
            return catalogue.model(forcedModel.trim())
                    .map(model -> new ModelSelection(model, ModelSelection.Rule.FORCED))
                    .orElseThrow(() -> new NoModelMatchesException("the policy forced model '" + forcedModel
                            + "', which is not in the catalogue"));
        }
        if (preferences != null) {
            CatalogueModel hinted = byHints(preferences.getHints());
            if (hinted != null) {
                return new ModelSelection(hinted, ModelSelection.Rule.HINT);
            }
            CatalogueModel best = byPriorities(preferences);
            if (best != null) {
                return new ModelSelection(best, ModelSelection.Rule.PRIORITIES);
            }
        }
        return new ModelSelection(catalogue.defaults(), ModelSelection.Rule.DEFAULT);
    }

    private CatalogueModel byHints(List<ModelHint> hints) {
        if (hints == null) {
            return null;
        }
        for (ModelHint hint : hints) {
            String name = hint.getName();
            if (name == null || name.isBlank()) {
                continue;
            }
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (CatalogueModel model : catalogue.models()) {
                if (model.name().toLowerCase(Locale.ROOT).contains(wanted)) {
                    return model;
                }
            }
        }
        return null;
    }

    /** Null when no priority is positive: a request that weighs nothing states no preference. */
    private CatalogueModel byPriorities(ModelPreferences preferences) {
        double cost = weight(preferences.getCostPriority());
        double speed = weight(preferences.getSpeedPriority());
        double intelligence = weight(preferences.getIntelligencePriority());
        if (cost == 0 && speed == 0 && intelligence == 0) {
            return null;
        }
        CatalogueModel best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (CatalogueModel model : catalogue.models()) {
            double score = model.ratings().score(cost, speed, intelligence);
            if (score > bestScore + TIE) {
                best = model;
                bestScore = score;
            }
        }
        return best;
    }

    /** Priorities outside 0..1 break the MCP schema; they are clamped rather than trusted. */
    private static double weight(Double priority) {
        if (priority == null || priority.isNaN()) {
            return 0;
        }
        return Math.max(0, Math.min(1, priority));
    }
}
