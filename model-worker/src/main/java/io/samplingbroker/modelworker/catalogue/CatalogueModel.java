package io.samplingbroker.modelworker.catalogue;

import java.util.List;
import java.util.Objects;

/**
 * One model the worker may choose.
 *
 * @param name the name servers' hints are matched against and results report when the provider does not say
 * @param provider the name of the configured provider that serves it
 * @param providerModel the model id sent to the provider (for example {@code gpt-4o-mini} or {@code llama3.1:8b})
 * @param ratings cost, speed and intelligence ratings for priority-based choice
 * @param fallbacks the catalogue models that answer, in order, when this one fails transiently (429, 5xx, timeout,
 *     open circuit) or cannot take the request's content; their own fallbacks are not followed
 */
public record CatalogueModel(String name, String provider, String providerModel, Ratings ratings,
        List<String> fallbacks) {

    public CatalogueModel {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("model '" + name + "' needs a provider");
        }
        providerModel = providerModel == null || providerModel.isBlank() ? name : providerModel;
        Objects.requireNonNull(ratings, "ratings");
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    /** A model without fallbacks. */
    public CatalogueModel(String name, String provider, String providerModel, Ratings ratings) {
        this(name, provider, providerModel, ratings, List.of());
    }

    public CatalogueModel withFallbacks(List<String> newFallbacks) {
        return new CatalogueModel(name, provider, providerModel, ratings, newFallbacks);
    }
}
