package io.samplingbroker.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the registry serde. The keys are Confluent's, so a configuration written for Confluent's
 * {@code KafkaAvroSerializer} works here and the other way round.
 *
 * @param urls registry base URLs, tried in order ({@value #URL})
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, if any; never printed
 * @param autoRegisterSchemas register the writer schema under the subject ({@value #AUTO_REGISTER_SCHEMAS})
 * @param useLatestVersion write with the subject's latest registered schema ({@value #USE_LATEST_VERSION})
 * @param latestCacheTtl how long a looked-up latest version is trusted; zero or negative: for ever
 * @param requestTimeout one HTTP request's time limit
 * @param retryBackoff first pause after a failed attempt; doubles up to 5 s
 * @param retryMax total time spent retrying an unreachable registry before giving up with a clear error
 * @param specificReader deserialize into generated classes rather than generic records
 */
public record RegistrySerdeConfig(List<URI> urls, Optional<String> basicAuthUserInfo, boolean autoRegisterSchemas,
        boolean useLatestVersion, Duration latestCacheTtl, Duration requestTimeout, Duration retryBackoff,
        Duration retryMax, boolean specificReader) {

    public static final String URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String RETRY_MAX_MS = "schema.registry.retry.max.ms";

    private static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    public RegistrySerdeConfig {
        urls = List.copyOf(Objects.requireNonNull(urls, URL));
        if (urls.isEmpty()) {
            throw new ConfigException(URL + " is required: the base URL of a Confluent-compatible schema registry");
        }
        for (URI url : urls) {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new ConfigException(URL, url.toString(), "must be an http or https URL");
            }
        }
        Objects.requireNonNull(basicAuthUserInfo, BASIC_AUTH_USER_INFO);
        basicAuthUserInfo.ifPresent(info -> {
            if (!info.contains(":")) {
                throw new ConfigException(BASIC_AUTH_USER_INFO + " must be user:password");
            }
        });
        Objects.requireNonNull(latestCacheTtl, LATEST_CACHE_TTL_SEC);
        requirePositive(requestTimeout, REQUEST_TIMEOUT_MS);
        requirePositive(retryBackoff, RETRY_BACKOFF_MS);
        Objects.requireNonNull(retryMax, RETRY_MAX_MS);
        if (retryMax.isNegative()) {
            throw new ConfigException(RETRY_MAX_MS, retryMax.toMillis(), "must not be negative");
        }
    }

    /** Reads the serde settings from Kafka client configs; unknown keys are ignored, as Kafka does. */
    public static RegistrySerdeConfig fromConfigs(Map<String, ?> configs) {
        Object rawUrl = configs.get(URL);
        if (rawUrl == null || rawUrl.toString().isBlank()) {
            throw new ConfigException(URL + " is required: the base URL of a Confluent-compatible schema registry");
        }
        requireTopicNameStrategy(configs, VALUE_SUBJECT_NAME_STRATEGY);
        requireTopicNameStrategy(configs, KEY_SUBJECT_NAME_STRATEGY);
        List<URI> urls = new ArrayList<>();
        String userInfoFromUrl = null;
        for (String part : rawUrl.toString().split(",")) {
            URI uri = parseUri(part.trim());
            if (uri.getUserInfo() != null) {
                userInfoFromUrl = uri.getUserInfo();
                uri = withoutUserInfo(uri);
            }
            urls.add(uri);
        }
        String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "URL").toUpperCase(Locale.ROOT);
        Optional<String> userInfo = switch (source) {
            case "USER_INFO" -> Optional.ofNullable(configs.get(BASIC_AUTH_USER_INFO)).map(Object::toString)
                    .filter(s -> !s.isEmpty());
            case "URL" -> Optional.ofNullable(userInfoFromUrl);
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, "must be USER_INFO or URL");
        };
        return new RegistrySerdeConfig(urls, userInfo,
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                Duration.ofSeconds(number(configs, LATEST_CACHE_TTL_SEC, -1)),
                Duration.ofMillis(number(configs, REQUEST_TIMEOUT_MS, 10_000)),
                Duration.ofMillis(number(configs, RETRY_BACKOFF_MS, 100)),
                Duration.ofMillis(number(configs, RETRY_MAX_MS, 30_000)),
                bool(configs, SPECIFIC_AVRO_READER, true));
    }

    /** Credentials never reach logs or exception messages. */
    @Override
    public String toString() {
        return "RegistrySerdeConfig[urls=" + urls + ", basicAuthUserInfo=" + basicAuthUserInfo.map(s -> "[redacted]")
                .orElse("none") + ", autoRegisterSchemas=" + autoRegisterSchemas + ", useLatestVersion="
                + useLatestVersion + ", latestCacheTtl=" + latestCacheTtl + ", requestTimeout=" + requestTimeout
                + ", retryBackoff=" + retryBackoff + ", retryMax=" + retryMax + ", specificReader=" + specificReader + "]";
    }

    private static void requireTopicNameStrategy(Map<String, ?> configs, String key) {
        Object strategy = configs.get(key);
        if (strategy != null) {
            String name = strategy instanceof Class<?> c ? c.getName() : strategy.toString();
            if (!TOPIC_NAME_STRATEGY.equals(name) && !"TopicNameStrategy".equals(name)) {
                throw new ConfigException(key, name, "only TopicNameStrategy (subject <topic>-key / <topic>-value) "
                        + "is supported: each sampling topic has exactly one value schema");
            }
        }
    }

    private static URI parseUri(String text) {
        try {
            return new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new ConfigException(URL, text, "not a URL: " + e.getMessage());
        }
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new ConfigException(URL, "[redacted]", "not a URL");
        }
    }

    private static String string(Map<String, ?> configs, String key, String defaultValue) {
        Object value = configs.get(key);
        return value == null ? defaultValue : value.toString().trim();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new ConfigException(key, value, "must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private static long number(Map<String, ?> configs, String key, long defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number");
        }
    }

    private static void requirePositive(Duration duration, String key) {
        Objects.requireNonNull(duration, key);
        if (duration.isZero() || duration.isNegative()) {
            throw new ConfigException(key, duration.toMillis(), "must be positive");
        }
    }
}
