package io.samplingbroker.serviceruntime.tracing;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a service sends its spans, from the service's configuration file with the environment on top
 * ({@code SAMPLING_TRACING_OTLP_ENDPOINT}, ...). Off unless an endpoint is set:
 * <ul>
 * <li>{@code tracing.otlp.endpoint}: an OTLP/HTTP traces URL ({@code http://collector:4318/v1/traces});</li>
 * <li>{@code tracing.otlp.headers}: {@code name=value} pairs, comma-separated, sent with every export (a
 *     collector's API key: their values never appear in {@link #toString()});</li>
 * <li>{@code tracing.sample-ratio}: the share of new traces kept, 0 to 1 (default 1); a request that arrives with a
 *     sampled parent is always kept, so a host's trace is never cut in half.</li>
 * </ul>
 */
public record TracingSettings(URI otlpEndpoint, Map<String, String> otlpHeaders, double sampleRatio) {

    public TracingSettings {
        if (otlpEndpoint != null && (!otlpEndpoint.isAbsolute() || !("http".equals(otlpEndpoint.getScheme())
                || "https".equals(otlpEndpoint.getScheme())) || otlpEndpoint.getHost() == null)) {
            throw new IllegalArgumentException("tracing.otlp.endpoint must be an http(s) URL such as"
                    + " http://collector:4318/v1/traces, got " + otlpEndpoint);
        }
        otlpHeaders = Map.copyOf(otlpHeaders == null ? Map.of() : otlpHeaders);
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException("tracing.sample-ratio must be between 0 and 1, got " + sampleRatio);
        }
    }

    /** No spans leave the service. */
    public static TracingSettings off() {
        return new TracingSettings(null, Map.of(), 1);
    }

    /** Every trace, exported to {@code endpoint} without headers. */
    public static TracingSettings otlp(URI endpoint) {
        return new TracingSettings(endpoint, Map.of(), 1);
    }

    public static TracingSettings fromSettings(Map<String, String> settings) {
        String endpoint = settings.get("tracing.otlp.endpoint");
        String ratio = settings.get("tracing.sample-ratio");
        double sampleRatio;
        try {
            sampleRatio = ratio == null || ratio.isBlank() ? 1 : Double.parseDouble(ratio.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tracing.sample-ratio must be a number between 0 and 1, got '" + ratio
                    + "'");
        }
        URI uri;
        try {
            uri = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tracing.otlp.endpoint is not a URL: " + e.getMessage());
        }
        return new TracingSettings(uri, headers(settings.get("tracing.otlp.headers")), sampleRatio);
    }

    private static Map<String, String> headers(String pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (pairs == null || pairs.isBlank()) {
            return headers;
        }
        for (String pair : pairs.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0 || pair.substring(0, equals).isBlank()) {
                // the pair may be a secret: name its position, not its text
                throw new IllegalArgumentException("tracing.otlp.headers must be name=value pairs separated by"
                        + " commas; pair " + (headers.size() + 1) + " has no name=");
            }
            headers.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return headers;
    }

    public boolean enabled() {
        return otlpEndpoint != null;
    }

    @Override
    public String toString() {
        return "TracingSettings[otlpEndpoint=" + otlpEndpoint + ", otlpHeaders=" + otlpHeaders.keySet().stream()
                .map(name -> name + "=[redacted]").collect(Collectors.joining(", ", "{", "}")) + ", sampleRatio="
                + sampleRatio + "]";
    }
}
