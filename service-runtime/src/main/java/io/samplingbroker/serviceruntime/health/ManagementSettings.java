package io.samplingbroker.serviceruntime.health;

import java.util.Map;

import io.samplingbroker.serviceruntime.ConfigSource;

/**
 * Where a service serves its health (and, later, its metrics): {@code management.host} (default 127.0.0.1) and
 * {@code management.port} (each service has its own default so that all can share a machine; 0 picks a free port,
 * -1 serves nothing), from the service's configuration file with the environment on top
 * ({@code SAMPLING_MANAGEMENT_PORT}).
 */
public record ManagementSettings(String host, int port) {

    public static final int DISABLED = -1;
    public static final int EPHEMERAL = 0;

    public ManagementSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("management.host must not be empty");
        }
        if (port < DISABLED || port > 65_535) {
            throw new IllegalArgumentException("management.port must be -1 (none), 0 (any free port) or 1..65535, got "
                    + port);
        }
    }

    public static ManagementSettings fromSettings(Map<String, String> settings, int defaultPort) {
        return new ManagementSettings(settings.getOrDefault("management.host", "127.0.0.1").trim(),
                Math.toIntExact(ConfigSource.wholeNumber(settings, "management.port", defaultPort)));
    }

    /** On loopback, a free port: tests and services started in one JVM. */
    public static ManagementSettings ephemeral() {
        return new ManagementSettings("127.0.0.1", EPHEMERAL);
    }

    public boolean enabled() {
        return port != DISABLED;
    }
}
