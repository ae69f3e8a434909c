package io.samplingbroker.modelworker.catalogue;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one provider. The API key is a secret: it never appears in {@link #toString()}.
 *
 * @param name the provider's name in the catalogue
 * @param type how it is reached
 * @param baseUrl the API base URL, for example {@code https://api.openai.com/v1} (required for openai-compatible;
 *     anthropic defaults to {@code https://api.anthropic.com}; unused by offline)
 * @param apiKey the API key, or null for endpoints that need none (local servers)
 * @param timeout the longest one attempt may take; the request's deadline shortens it further
 * @param connectTimeout the longest a TCP/TLS connection may take to open
 * @param maxRetries attempts after the first one, for transient failures (429, 5xx, timeouts)
 * @param maxConcurrency calls in flight at once to this provider; more wait in its queue
 * @param circuitBreaker when attempts to this provider stop for a while
 */
public record ProviderSettings(String name, ProviderType type, String baseUrl, String apiKey, Duration timeout,
        Duration connectTimeout, int maxRetries, int maxConcurrency, CircuitBreakerSettings circuitBreaker) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RETRIES = 2;
    public static final int DEFAULT_MAX_CONCURRENCY = 16;

    public ProviderSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a provider needs a name");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        if ((type == ProviderType.OPENAI_COMPATIBLE || type == ProviderType.OPENAI_RESPONSES)
                && (baseUrl == null || baseUrl.isBlank())) {
            throw new IllegalArgumentException("provider '" + name + "' needs a baseUrl");
        }
        if (type != ProviderType.OFFLINE && baseUrl != null && !baseUrl.isBlank()) {
            URI uri = URI.create(baseUrl.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("provider '" + name + "': baseUrl must be an http(s) URL");
            }
        }
        if (timeout.isNegative() || timeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("provider '" + name + "': timeouts must be positive");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("provider '" + name + "': maxRetries must be 0 or more");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("provider '" + name + "': maxConcurrency must be at least 1");
        }
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    /** The built-in offline provider. */
    public static ProviderSettings offline(String name) {
        return new ProviderSettings(name, ProviderType.OFFLINE, null, null, DEFAULT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                0, DEFAULT_MAX_CONCURRENCY, CircuitBreakerSettings.OFF);
    }

    /** Anthropic's Messages API at {@code baseUrl} (null: Anthropic's own), with default timeouts and limits. */
    public static ProviderSettings anthropic(String name, String baseUrl, String apiKey) {
        return new ProviderSettings(name, ProviderType.ANTHROPIC, baseUrl, apiKey, DEFAULT_TIMEOUT,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_MAX_CONCURRENCY,
                CircuitBreakerSettings.DEFAULT);
    }

    /** An OpenAI-compatible endpoint with default timeouts, retries and concurrency. */
    public static ProviderSettings openAiCompatible(String name, String baseUrl, String apiKey) {
        return new ProviderSettings(name, ProviderType.OPENAI_COMPATIBLE, baseUrl, apiKey, DEFAULT_TIMEOUT,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_MAX_CONCURRENCY,
                CircuitBreakerSettings.DEFAULT);
    }

    public ProviderSettings withTimeout(Duration newTimeout) {
        return new ProviderSettings(name, type, baseUrl, apiKey, newTimeout, connectTimeout, maxRetries, maxConcurrency,
                circuitBreaker);
    }

    public ProviderSettings withMaxRetries(int newMaxRetries) {
        return new ProviderSettings(name, type, baseUrl, apiKey, timeout, connectTimeout, newMaxRetries, maxConcurrency,
                circuitBreaker);
    }

    public ProviderSettings withCircuitBreaker(CircuitBreakerSettings newCircuitBreaker) {
        return new ProviderSettings(name, type, baseUrl, apiKey, timeout, connectTimeout, maxRetries, maxConcurrency,
                newCircuitBreaker);
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", type=" + type.configName() + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "none" : "[redacted]") + ", timeout=" + timeout + ", connectTimeout="
                + connectTimeout + ", maxRetries=" + maxRetries + ", maxConcurrency=" + maxConcurrency + ", circuitBreaker="
                + circuitBreaker + "]";
    }
}
