package io.samplingbroker.modelworker.catalogue;

/**
 * The model chosen for a request and the rule that chose it (logged, so an operator can see why).
 *
 * @param model the chosen model
 * @param rule which rule decided
 */
public record ModelSelection(CatalogueModel model, Rule rule) {

    /** The rules, in the order they are tried. */
    public enum Rule {
        /** The approval policy forced a model. */
        FORCED,
        /** A server hint matched a model name. */
        HINT,
        /** The best weighted score over cost, speed and intelligence priorities. */
        PRIORITIES,
        /** No usable preference: the catalogue's default model. */
        DEFAULT
    }
}
