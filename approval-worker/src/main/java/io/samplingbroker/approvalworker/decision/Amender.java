package io.samplingbroker.approvalworker.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.samplingbroker.approvalworker.policy.Amendment;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.events.mcp.ModelHint;
import io.samplingbroker.events.mcp.ModelPreferences;

/** Applies an amendment to a copy of the params, and says in one line per change what it changed. */
final class Amender {

    /**
     * @param params the params after the amendment (a copy; the request's own are untouched)
     * @param changes one line per change that made a difference, empty when the request already complied
     */
    record Amended(CreateMessageParams params, List<String> changes) {
    }

    private Amender() {
    }

    static Amended apply(CreateMessageParams original, Amendment amendment) {
        CreateMessageParams params = CreateMessageParams.newBuilder(original).build(); // a deep copy
        List<String> changes = new ArrayList<>();
        Long cap = amendment.capMaxTokens();
        if (cap != null && params.getMaxTokens() > cap) {
            changes.add("maxTokens " + params.getMaxTokens() + " -> " + cap);
            params.setMaxTokens(cap);
        }
        if (amendment.forceModel() != null) {
            forceModel(params, amendment.forceModel(), changes);
        }
        IncludeContext context = params.getIncludeContext();
        if (amendment.dropIncludeContext() && context != null && context != IncludeContext.none) {
            changes.add("includeContext " + context + " -> " + IncludeContext.none);
            params.setIncludeContext(IncludeContext.none);
        }
        return new Amended(params, changes);
    }

    /**
     * The decision's {@code forcedModel} is what the model-worker must use; the hints are replaced too, so a reader
     * of the effective params alone sees the same model. The priorities are kept: they are the server's.
     */
    private static void forceModel(CreateMessageParams params, String model, List<String> changes) {
        ModelPreferences preferences = params.getModelPreferences();
        List<ModelHint> hints = preferences == null || preferences.getHints() == null ? List.of() : preferences.getHints();
        if (hints.size() == 1 && model.equals(hints.get(0).getName())) {
            return;
        }
        String before = hints.isEmpty() ? "(no hints)"
                : hints.stream().map(h -> String.valueOf(h.getName())).collect(Collectors.joining(", ", "[", "]"));
        changes.add("model " + before + " -> " + model);
        ModelPreferences forced = preferences == null ? new ModelPreferences() : preferences;
        forced.setHints(new ArrayList<>(List.of(new ModelHint(model, null))));
        params.setModelPreferences(forced);
    }
}
