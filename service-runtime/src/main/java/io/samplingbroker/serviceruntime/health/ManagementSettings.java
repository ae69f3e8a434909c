package io.samplingbroker.serviceruntime.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/**
 * Where and how a service serves its health and metrics, from the service's configuration file with the environment
 * on top ({@code SAMPLING_MANAGEMENT_PORT}, ...):
 * <ul>
 * <li>{@code management.host} (default 127.0.0.1: loopback, as the port tells the state of the service) and
 *     {@code management.port} (each service has its own default so that all can share a machine; 0 picks a free
 *     port, -1 serves nothing);</li>
 * <li>{@code management.metrics.label-values-max}: values each open label keeps before {@code other} (default 100);</li>
 * <li>{@code management.auth.username} and {@code management.auth.password}: HTTP basic auth on {@code /metrics}
 *     (health stays open to the probes of an orchestrator);</li>
 * <li>{@code management.tls.keystore} (a PKCS12 file) and {@code management.tls.keystore-password}: HTTPS.</li>
 * </ul>
 */
public record ManagementSettings(String host, int port, int labelValuesMax, BasicAuth auth, Tls tls) {

    public static final int DISABLED = -1;
    public static final int EPHEMERAL = 0;

    /** Credentials a scraper must send for {@code /metrics}. */
    public record BasicAuth(String username, String password) {
        public BasicAuth {
            if (username == null || username.isBlank() || username.contains(":")) {
                throw new IllegalArgumentException("management.auth.username must be a non-empty name without ':'");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("management.auth.password must not be empty when"
                        + " management.auth.username is set");
            }
        }

        @Override
        public String toString() {
            return "BasicAuth[username=" + username + ", password=[redacted]]";
        }
    }

    /** The key and certificate the port serves HTTPS with. */
    public record Tls(Path keystore, String password) {
        public Tls {
            if (!Files.isReadable(keystore)) {
                throw new IllegalArgumentException("management.tls.keystore " + keystore + " is not a readable file");
            }
            if (password == null) {
                throw new IllegalArgumentException("management.tls.keystore-password must be set with"
                        + " management.tls.keystore");
            }
        }

        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", password=[redacted]]";
        }
    }

    public ManagementSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("management.host must not be empty");
        }
        if (port < DISABLED || port > 65_535) {
            throw new IllegalArgumentException("management.port must be -1 (none), 0 (any free port) or 1..65535, got "
                    + port);
        }
        if (labelValuesMax < 1 || labelValuesMax > 100_000) {
            throw new IllegalArgumentException("management.metrics.label-values-max must be 1..100000, got "
                    + labelValuesMax);
        }
    }

    /** Loopback, no auth, no TLS, the default label cap. */
    public ManagementSettings(String host, int port) {
        this(host, port, ServiceMetrics.DEFAULT_LABEL_VALUES_MAX, null, null);
    }

    public static ManagementSettings fromSettings(Map<String, String> settings, int defaultPort) {
        String username = blankToNull(settings.get("management.auth.username"));
        String password = settings.get("management.auth.password");
        if (username == null && password != null) {
            throw new IllegalArgumentException("management.auth.password is set but management.auth.username is not");
        }
        String keystore = blankToNull(settings.get("management.tls.keystore"));
        return new ManagementSettings(settings.getOrDefault("management.host", "127.0.0.1").trim(),
                Math.toIntExact(ConfigSource.wholeNumber(settings, "management.port", defaultPort)),
                Math.toIntExact(ConfigSource.wholeNumber(settings, "management.metrics.label-values-max",
                        ServiceMetrics.DEFAULT_LABEL_VALUES_MAX)),
                username == null ? null : new BasicAuth(username, password),
                keystore == null ? null : new Tls(Path.of(keystore), settings.get("management.tls.keystore-password")));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** On loopback, a free port: tests and services started in one JVM. */
    public static ManagementSettings ephemeral() {
        return new ManagementSettings("127.0.0.1", EPHEMERAL);
    }

    public boolean enabled() {
        return port != DISABLED;
    }
}
