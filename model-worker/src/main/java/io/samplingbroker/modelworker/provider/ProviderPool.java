package io.samplingbroker.modelworker.provider;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.provider.anthropic.AnthropicProvider;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.provider.openai.OpenAiCompatibleProvider;

/**
 * One client per configured provider, created at start-up and closed with the worker; each HTTP provider behind its
 * {@link ConcurrencyLimit} ({@code maxConcurrency}).
 */
public final class ProviderPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderPool.class);

    private final Map<String, ModelProvider> providers = new LinkedHashMap<>();
    private final Map<String, ProviderSettings> settings;

    public ProviderPool(ModelCatalogue catalogue, Clock clock) {
        this.settings = catalogue.providers();
        try {
            settings.forEach((name, provider) -> providers.put(name, switch (provider.type()) {
                case OFFLINE -> new OfflineEchoModel(name);
                case OPENAI_COMPATIBLE -> new ConcurrencyLimit(new OpenAiCompatibleProvider(provider, clock),
                        provider.maxConcurrency());
                case ANTHROPIC -> new ConcurrencyLimit(new AnthropicProvider(provider, clock),
                        provider.maxConcurrency());
            }));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public ModelProvider provider(String name) {
        ModelProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("no provider named '" + name + "'");
        }
        return provider;
    }

    public ProviderSettings settings(String name) {
        return settings.get(name);
    }

    @Override
    public void close() {
        providers.values().forEach(provider -> {
            try {
                provider.close();
            } catch (RuntimeException e) {
                LOG.warn("Provider {} did not close cleanly: {}", provider.name(), e.toString());
            }
        });
    }
}
