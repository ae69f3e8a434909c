package io.samplingbroker.reviewconsole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.config.ConfigException;

import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;
import io.samplingbroker.serviceruntime.spend.PriceFile;

/**
 * Everything the review console service needs: how it reaches Kafka and the registry, and its own settings.
 * Secrets (registry credentials, SASL settings, reviewers' hashes) never appear in {@link #toString()}.
 *
 * @param kafka Kafka, schema registry and topic settings ({@code kafka.*}, {@code schema.registry.*},
 *     {@code topics.*}), with a client identity of its own: it reads reviews, decisions and completions and writes
 *     only review commands
 * @param console where it listens and who may sign in ({@code review.console.*}, {@code review.reviewers.*})
 * @param pricesFile the price catalogue the overview prices spend with ({@value #PRICES_FILE}, the approval-worker's
 *     own), or null: tokens only
 */
public record ReviewConsoleServiceConfig(KafkaSettings kafka, ReviewConsoleConfig console, String pricesFile) {

    public static final String PRICES_FILE = "prices.file";

    public ReviewConsoleServiceConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(console, "console");
        pricesFile = pricesFile == null || pricesFile.isBlank() ? null : pricesFile;
        if (pricesFile != null && !Files.isRegularFile(Path.of(pricesFile))) {
            throw new ConfigException(PRICES_FILE, pricesFile, "no such file");
        }
    }

    /** Without prices: the overview shows tokens only. */
    public ReviewConsoleServiceConfig(KafkaSettings kafka, ReviewConsoleConfig console) {
        this(kafka, console, null);
    }

    /** The price catalogue of {@link #pricesFile}, or none. */
    public PriceCatalogue prices() {
        return pricesFile == null ? PriceCatalogue.none() : PriceFile.load(Path.of(pricesFile));
    }

    /** Reads a YAML file (null: none) with environment overrides ({@code SAMPLING_REVIEW_CONSOLE_PORT}, ...). */
    public static ReviewConsoleServiceConfig load(Path file, Map<String, String> environment) {
        return fromSettings(ConfigSource.load(file, environment));
    }

    /** From flat settings, as {@link ConfigSource} produces them. */
    public static ReviewConsoleServiceConfig fromSettings(Map<String, String> settings) {
        return new ReviewConsoleServiceConfig(KafkaSettings.from(settings), ReviewConsoleConfig.fromSettings(settings),
                settings.get(PRICES_FILE));
    }
}
