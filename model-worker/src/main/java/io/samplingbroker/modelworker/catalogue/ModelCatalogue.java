package io.samplingbroker.modelworker.catalogue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models the worker may choose from, in catalogue order (which breaks ties), and the providers serving them.
 * Validated on construction: unique model names, every model's provider configured, fallbacks that name other models
 * of the catalogue, a default model that exists.
 *
 * @param providers configured providers by name
 * @param models the models, in catalogue order
 * @param defaultModel the model used when a request states no preference
 */
public record ModelCatalogue(Map<String, ProviderSettings> providers, List<CatalogueModel> models, String defaultModel) {

    /** The built-in offline model's name; deliberately unlike any LLM's. */
    public static final String OFFLINE_MODEL = "offline-echo";
    /** The built-in offline provider's name. */
    public static final String OFFLINE_PROVIDER = "offline";

    public ModelCatalogue {
        providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the catalogue needs at least one model");
        }
        Set<String> names = new HashSet<>();
        for (CatalogueModel model : models) {
            if (!names.add(model.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("model '" + model.name() + "' is listed twice");
            }
            if (!providers.containsKey(model.provider())) {
                throw new IllegalArgumentException("model '" + model.name() + "' names provider '" + model.provider()
                        + "', which is not configured; configured: " + providers.keySet());
            }
        }
        for (CatalogueModel model : models) {
            checkFallbacks(model, names);
        }
        providers.forEach((name, settings) -> {
            if (!name.equals(settings.name())) {
                throw new IllegalArgumentException("provider key '" + name + "' differs from its name '"
                        + settings.name() + "'");
            }
        });
        if (defaultModel == null || defaultModel.isBlank()) {
            defaultModel = models.get(0).name();
        }
        String wanted = defaultModel;
        if (models.stream().noneMatch(m -> m.name().equals(wanted))) {
            throw new IllegalArgumentException("defaultModel '" + defaultModel + "' is not a model of the catalogue");
        }
    }

    private static void checkFallbacks(CatalogueModel model, Set<String> names) {
        Set<String> seen = new HashSet<>();
        for (String fallback : model.fallbacks()) {
            String key = fallback == null ? "" : fallback.toLowerCase(Locale.ROOT);
            if (!names.contains(key)) {
                throw new IllegalArgumentException("model '" + model.name() + "': fallback '" + fallback
                        + "' is not a model of the catalogue");
            }
            if (key.equals(model.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("model '" + model.name() + "' names itself as a fallback");
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException("model '" + model.name() + "' names fallback '" + fallback
                        + "' twice");
            }
        }
    }

    /** The models that answer a request for {@code model}, in order: the model itself, then its fallbacks. */
    public List<CatalogueModel> chain(CatalogueModel model) {
        List<CatalogueModel> chain = new ArrayList<>();
        chain.add(model);
        model.fallbacks().forEach(name -> chain.add(model(name).orElseThrow()));
        return List.copyOf(chain);
    }

    /** The catalogue used when none is configured: the offline model only. */
    public static ModelCatalogue offlineOnly() {
        return new ModelCatalogue(Map.of(OFFLINE_PROVIDER, ProviderSettings.offline(OFFLINE_PROVIDER)),
                List.of(offlineModel()), OFFLINE_MODEL);
    }

    /** The offline model as a catalogue entry: free and instant, and rated as knowing nothing. */
    public static CatalogueModel offlineModel() {
        return new CatalogueModel(OFFLINE_MODEL, OFFLINE_PROVIDER, OFFLINE_MODEL, new Ratings(1.0, 1.0, 0.0));
    }

    /** The model with this exact name, ignoring case. */
    public Optional<CatalogueModel> model(String name) {
        return models.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }

    public CatalogueModel defaults() {
        return models.stream().filter(m -> m.name().equals(defaultModel)).findFirst().orElseThrow();
    }

    /** A copy with one more provider and model appended (tests and embedders extend the default this way). */
    public ModelCatalogue with(ProviderSettings provider, CatalogueModel model) {
        Map<String, ProviderSettings> moreProviders = new LinkedHashMap<>(providers);
        moreProviders.put(provider.name(), provider);
        List<CatalogueModel> moreModels = new ArrayList<>(models);
        moreModels.add(model);
        return new ModelCatalogue(moreProviders, moreModels, defaultModel);
    }

    /** A copy whose default model is {@code name}. */
    public ModelCatalogue withDefaultModel(String name) {
        return new ModelCatalogue(providers, models, name);
    }
}
