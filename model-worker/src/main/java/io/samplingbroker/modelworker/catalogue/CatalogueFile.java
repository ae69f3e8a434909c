package io.samplingbroker.modelworker.catalogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.samplingbroker.serviceruntime.ConfigFileException;

/**
 * Reads a model catalogue from YAML (see {@code sample-models.yaml} and the module README). API keys come from the
 * environment ({@code apiKeyEnv: OPENAI_API_KEY}) so the file itself holds no secret; a literal {@code apiKey} is
 * accepted for local servers. Every error names the file and what is wrong, and stops start-up.
 */
public final class CatalogueFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The file's shape; field names are the YAML keys. */
    record Content(String defaultModel, Map<String, ProviderEntry> providers, List<ModelEntry> models) {
    }

    record ProviderEntry(String type, String baseUrl, String apiKeyEnv, String apiKey, Long timeoutMs,
            Long connectTimeoutMs, Integer maxRetries, Integer maxConcurrency, CircuitBreakerEntry circuitBreaker) {
    }

    record CircuitBreakerEntry(Integer failureThreshold, Double failureRatio, Long windowMs, Long openMs) {
    }

    record ModelEntry(String name, String provider, String providerModel, RatingsEntry ratings,
            List<String> fallbacks) {
    }

    record RatingsEntry(Double cost, Double speed, Double intelligence) {
    }

    private CatalogueFile() {
    }

    /** Loads and validates the catalogue at {@code file}; {@code environment} supplies the API keys. */
    public static ModelCatalogue load(Path file, Map<String, String> environment) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file + ": no such model catalogue file");
        } catch (IOException e) {
            throw new ConfigFileException(file + ": cannot read the model catalogue: " + e.getMessage());
        }
        return parse(file.toString(), text, environment);
    }

    /** Parses catalogue YAML; {@code origin} names the source in error messages. */
    public static ModelCatalogue parse(String origin, String yaml, Map<String, String> environment) {
        Content content;
        try {
            content = YAML.readValue(yaml, Content.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigFileException(origin + ": " + location(e) + "unknown key '" + e.getPropertyName()
                    + "'; known keys: " + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            throw new ConfigFileException(origin + ": " + location(e) + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(origin + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (content == null) {
            throw new ConfigFileException(origin + ": the model catalogue is empty");
        }
        try {
            return toCatalogue(content, environment);
        } catch (IllegalArgumentException e) {
            throw new ConfigFileException(origin + ": " + e.getMessage());
        }
    }

    private static ModelCatalogue toCatalogue(Content content, Map<String, String> environment) {
        if (content.providers() == null || content.providers().isEmpty()) {
            throw new IllegalArgumentException("'providers' must configure at least one provider");
        }
        if (content.models() == null || content.models().isEmpty()) {
            throw new IllegalArgumentException("'models' must list at least one model");
        }
        Map<String, ProviderSettings> providers = new LinkedHashMap<>();
        content.providers().forEach((name, entry) -> providers.put(name, provider(name, entry, environment)));
        List<CatalogueModel> models = new ArrayList<>();
        for (ModelEntry entry : content.models()) {
            RatingsEntry r = entry.ratings() == null ? new RatingsEntry(null, null, null) : entry.ratings();
            Ratings ratings;
            try {
                ratings = new Ratings(orUnrated(r.cost()), orUnrated(r.speed()), orUnrated(r.intelligence()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("model '" + entry.name() + "': " + e.getMessage());
            }
            models.add(new CatalogueModel(entry.name(), entry.provider(), entry.providerModel(), ratings,
                    entry.fallbacks()));
        }
        return new ModelCatalogue(providers, models, content.defaultModel());
    }

    private static ProviderSettings provider(String name, ProviderEntry entry, Map<String, String> environment) {
        if (entry == null) {
            throw new IllegalArgumentException("provider '" + name + "' has no settings");
        }
        ProviderType type = ProviderType.fromConfigName(entry.type());
        if (type == null) {
            throw new IllegalArgumentException("provider '" + name + "': type must be 'openai-compatible', "
                    + "'openai-responses', 'anthropic' or 'offline', not '" + entry.type() + "'");
        }
        return new ProviderSettings(name, type, entry.baseUrl(), apiKey(name, entry, environment),
                millis(entry.timeoutMs(), ProviderSettings.DEFAULT_TIMEOUT),
                millis(entry.connectTimeoutMs(), ProviderSettings.DEFAULT_CONNECT_TIMEOUT),
                entry.maxRetries() == null ? ProviderSettings.DEFAULT_MAX_RETRIES : entry.maxRetries(),
                entry.maxConcurrency() == null ? ProviderSettings.DEFAULT_MAX_CONCURRENCY : entry.maxConcurrency(),
                circuitBreaker(name, type, entry.circuitBreaker()));
    }

    /** Unset keys take the defaults; the offline model never fails transiently, so it has no breaker. */
    private static CircuitBreakerSettings circuitBreaker(String name, ProviderType type, CircuitBreakerEntry entry) {
        CircuitBreakerSettings defaults = type == ProviderType.OFFLINE ? CircuitBreakerSettings.OFF
                : CircuitBreakerSettings.DEFAULT;
        if (entry == null) {
            return defaults;
        }
        try {
            return new CircuitBreakerSettings(
                    entry.failureThreshold() == null ? defaults.failureThreshold() : entry.failureThreshold(),
                    entry.failureRatio() == null ? defaults.failureRatio() : entry.failureRatio(),
                    millis(entry.windowMs(), defaults.window()), millis(entry.openMs(), defaults.openFor()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider '" + name + "': " + e.getMessage());
        }
    }

    /** A named but unset variable is an error: a provider silently called without its key only fails later. */
    private static String apiKey(String name, ProviderEntry entry, Map<String, String> environment) {
        if (entry.apiKeyEnv() != null && entry.apiKey() != null) {
            throw new IllegalArgumentException("provider '" + name + "': set apiKeyEnv or apiKey, not both");
        }
        if (entry.apiKeyEnv() == null) {
            return entry.apiKey();
        }
        String value = environment.get(entry.apiKeyEnv());
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("provider '" + name + "': environment variable " + entry.apiKeyEnv()
                    + " (apiKeyEnv) is not set");
        }
        return value;
    }

    private static Duration millis(Long value, Duration defaultValue) {
        return value == null ? defaultValue : Duration.ofMillis(value);
    }

    private static double orUnrated(Double rating) {
        return rating == null ? Ratings.UNRATED : rating;
    }

    private static String location(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce("", (a, b) -> a.isEmpty() || b.startsWith("[") ? a + b : a + "." + b);
        return path.isEmpty() ? "" : "at '" + path + "': ";
    }
}
