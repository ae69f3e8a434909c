package io.samplingbroker.serviceruntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A service's settings as one flat map of dotted keys: read from a YAML file (nested keys are joined with dots),
 * then overridden by environment variables, so a container can change any setting without a file.
 *
 * <p>Environment rule: a variable {@code SAMPLING_<NAME>} sets key {@code <name>} lower-cased, with {@code __}
 * read as {@code -} and {@code _} as {@code .}: {@code SAMPLING_KAFKA_BOOTSTRAP_SERVERS} sets
 * {@code kafka.bootstrap.servers}, {@code SAMPLING_TOPICS_DEAD__LETTERS_CONFIG_RETENTION_MS} sets
 * {@code topics.dead-letters.config.retention.ms}.
 */
public final class ConfigSource {

    public static final String ENV_PREFIX = "SAMPLING_";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigSource() {
    }

    /** File settings (none when {@code file} is null) overridden by the environment. */
    public static Map<String, String> load(Path file, Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        if (file != null) {
            settings.putAll(readYaml(file));
        }
        settings.putAll(fromEnvironment(environment));
        return settings;
    }

    static Map<String, String> readYaml(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file + ": no such configuration file");
        } catch (IOException e) {
            throw new ConfigFileException(file + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new ConfigFileException(file + (where == null ? "" : ":" + where.getLineNr() + ":" + where.getColumnNr())
                    + ": not valid YAML: " + e.getOriginalMessage());
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new ConfigFileException(file + ": the top level must be a mapping of settings");
            }
            flatten("", root, flat, file);
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isObject()) {
                flatten(key, value, out, file);
            } else if (value.isArray()) {
                StringBuilder joined = new StringBuilder();
                for (JsonNode item : value) {
                    if (item.isContainerNode()) {
                        throw new ConfigFileException(file + ": " + key + " must be a list of plain values");
                    }
                    joined.append(joined.length() == 0 ? "" : ",").append(item.asText());
                }
                out.put(key, joined.toString());
            } else if (!value.isNull()) {
                out.put(key, value.asText());
            }
        }
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                        .replace("__", "\u0000").replace('_', '.').replace('\u0000', '-');
                settings.put(key, value);
            }
        });
        return settings;
    }

    /** A whole-number setting, or {@code defaultValue} when absent or blank; anything else names the key. */
    public static long wholeNumber(Map<String, String> settings, String key, long defaultValue) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigFileException(key + " must be a whole number, got '" + value + "'");
        }
    }

    /** The settings under {@code prefix.} with the prefix removed. */
    public static Map<String, String> withPrefix(Map<String, String> settings, String prefix) {
        String dotted = prefix.endsWith(".") ? prefix : prefix + ".";
        Map<String, String> sub = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(dotted)) {
                sub.put(key.substring(dotted.length()), value);
            }
        });
        return sub;
    }
}
