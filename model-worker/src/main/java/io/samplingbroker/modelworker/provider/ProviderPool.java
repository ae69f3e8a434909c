package io.samplingbroker.modelworker.provider;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.catalogue.ProviderType;
import io.samplingbroker.modelworker.provider.anthropic.AnthropicProvider;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.provider.openai.OpenAiCompatibleProvider;

/**
 * One client per configured provider, created at start-up and closed with the worker; each HTTP provider behind its
 * {@link ConcurrencyLimit} ({@code maxConcurrency}) and, unless turned off, its {@link CircuitBreaker} (outside the
 * limit, so that attempts to an open circuit do not queue for a slot).
 */
public final class ProviderPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderPool.class);

    private final Map<String, ModelProvider> providers = new LinkedHashMap<>();
    private final Map<String, ProviderHealth> health = new LinkedHashMap<>();
    private final Map<String, ProviderSettings> settings;

    /** @param circuits told when a provider's circuit opens, half-opens or closes */
    public ProviderPool(ModelCatalogue catalogue, Clock clock, CircuitListener circuits) {
        this.settings = catalogue.providers();
        try {
            settings.forEach((name, provider) -> providers.put(name, guarded(switch (provider.type()) {
                case OFFLINE -> new OfflineEchoModel(name);
                case OPENAI_COMPATIBLE, OPENAI_RESPONSES -> new OpenAiCompatibleProvider(provider, clock);
                case ANTHROPIC -> new AnthropicProvider(provider, clock);
            }, provider, clock, circuits)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ModelProvider guarded(ModelProvider provider, ProviderSettings settings, Clock clock,
            CircuitListener circuits) {
        if (settings.type() == ProviderType.OFFLINE) {
            return provider; // answers at once, never fails transiently
        }
        ConcurrencyLimit limit = new ConcurrencyLimit(provider, settings.maxConcurrency());
        CircuitBreaker breaker = settings.circuitBreaker().enabled()
                ? new CircuitBreaker(limit, settings.circuitBreaker(), clock, circuits) : null;
        health.put(settings.name(), new ProviderHealth(settings.name(), limit::inFlight, limit::waiting,
                () -> breaker == null ? CircuitState.CLOSED : breaker.state()));
        return breaker == null ? limit : breaker;
    }

    /** The HTTP providers' live state, for metrics. */
    public Collection<ProviderHealth> health() {
        return health.values();
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
