package io.samplingbroker.serviceruntime;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Keeps secrets out of logs: settings whose key names a secret print as {@code [redacted]}. */
public final class Secrets {

    private static final String[] SECRET_MARKERS = {"password", "secret", "api.key", "apikey", "token",
        "sasl.jaas.config", "basic.auth.user.info", "credentials"};

    private Secrets() {
    }

    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
        for (String marker : SECRET_MARKERS) {
            if (lower.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** A copy for printing, secrets replaced. */
    public static Map<String, Object> redacted(Map<String, ?> settings) {
        Map<String, Object> copy = new TreeMap<>();
        settings.forEach((key, value) -> copy.put(key, isSecretKey(key) ? "[redacted]" : value));
        return copy;
    }
}
