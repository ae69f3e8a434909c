package io.samplingbroker.reviewconsole;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * Everything the review console service needs: how it reaches Kafka and the registry, and its own settings.
 * Secrets (registry credentials, SASL settings, reviewers' hashes) never appear in {@link #toString()}.
 *
 * @param kafka Kafka, schema registry and topic settings ({@code kafka.*}, {@code schema.registry.*},
 *     {@code topics.*}), with a client identity of its own: it reads reviews, decisions and completions and writes
 *     only review commands
 * @param console where it listens and who may sign in ({@code review.console.*}, {@code review.reviewers.*})
 */
public record ReviewConsoleServiceConfig(KafkaSettings kafka, ReviewConsoleConfig console) {

    public ReviewConsoleServiceConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(console, "console");
    }

    /** Reads a YAML file (null: none) with environment overrides ({@code SAMPLING_REVIEW_CONSOLE_PORT}, ...). */
    public static ReviewConsoleServiceConfig load(Path file, Map<String, String> environment) {
        return fromSettings(ConfigSource.load(file, environment));
    }

    /** From flat settings, as {@link ConfigSource} produces them. */
    public static ReviewConsoleServiceConfig fromSettings(Map<String, String> settings) {
        return new ReviewConsoleServiceConfig(KafkaSettings.from(settings), ReviewConsoleConfig.fromSettings(settings));
    }
}
