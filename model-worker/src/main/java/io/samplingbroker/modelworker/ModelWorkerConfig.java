package io.samplingbroker.modelworker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.samplingbroker.modelworker.catalogue.CatalogueFile;
import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.worker.WorkerLimits;
import io.samplingbroker.serviceruntime.ConfigFileException;
import io.samplingbroker.serviceruntime.ConfigSource;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * The model-worker's configuration, validated on construction. API keys live in the catalogue's provider settings
 * and never appear in {@link #toString()}.
 *
 * <p>Keys (YAML, each overridable by a {@code SAMPLING_*} environment variable, see {@link ConfigSource}): the
 * {@link KafkaSettings} keys ({@code kafka.*}, {@code schema.registry.*}, {@code topics.*}), plus
 * {@value #MODELS_FILE}, {@value #GROUP_ID}, {@value #MAX_IN_FLIGHT}, {@value #DRAIN_TIMEOUT_MS} and
 * {@value #LOOKBACK_MS}.
 *
 * @param kafka how to reach Kafka and the schema registry, and the topic names
 * @param catalogue the models and providers (the offline model alone by default)
 * @param groupId the Kafka consumer group of all model-worker instances
 * @param maxInFlight provider calls one instance runs at once
 * @param drainTimeout how long shutdown and rebalances wait for running calls
 * @param lookback how far back outcomes and cancellations are read when a partition is taken over; at least the
 *     longest request lifetime
 */
public record ModelWorkerConfig(KafkaSettings kafka, ModelCatalogue catalogue, String groupId, int maxInFlight,
        Duration drainTimeout, Duration lookback) {

    public static final String MODELS_FILE = "models.file";
    public static final String GROUP_ID = "group.id";
    public static final String MAX_IN_FLIGHT = "max.in.flight";
    public static final String DRAIN_TIMEOUT_MS = "drain.timeout.ms";
    public static final String LOOKBACK_MS = "lookback.ms";

    public static final String DEFAULT_GROUP_ID = "sampling-model-worker";
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(15);

    public ModelWorkerConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(catalogue, "catalogue");
        if (groupId == null || groupId.isBlank()) {
            throw new ConfigFileException(GROUP_ID + " must not be blank");
        }
        if (maxInFlight < 1) {
            throw new ConfigFileException(MAX_IN_FLIGHT + " must be at least 1, not " + maxInFlight);
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new ConfigFileException(DRAIN_TIMEOUT_MS + " must be 0 or more milliseconds");
        }
        if (lookback == null || lookback.isNegative() || lookback.isZero()) {
            throw new ConfigFileException(LOOKBACK_MS + " must be a positive number of milliseconds");
        }
    }

    /** Defaults around the given Kafka settings: the offline model, the default group and limits. */
    public static ModelWorkerConfig defaults(KafkaSettings kafka) {
        return new ModelWorkerConfig(kafka, ModelCatalogue.offlineOnly(), DEFAULT_GROUP_ID, DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_DRAIN_TIMEOUT, DEFAULT_LOOKBACK);
    }

    /** Reads the YAML file (none when null) overridden by the environment, as {@code ModelWorkerMain} does. */
    public static ModelWorkerConfig load(Path file, Map<String, String> environment) {
        return fromSettings(ConfigSource.load(file, environment), environment);
    }

    /**
     * @param settings flat dotted settings
     * @param environment where the catalogue's {@code apiKeyEnv} variables are looked up
     */
    public static ModelWorkerConfig fromSettings(Map<String, String> settings, Map<String, String> environment) {
        String modelsFile = settings.get(MODELS_FILE);
        ModelCatalogue catalogue = modelsFile == null || modelsFile.isBlank() ? ModelCatalogue.offlineOnly()
                : CatalogueFile.load(Path.of(modelsFile.trim()), environment);
        return new ModelWorkerConfig(KafkaSettings.from(settings), catalogue,
                settings.getOrDefault(GROUP_ID, DEFAULT_GROUP_ID).trim(),
                (int) ConfigSource.wholeNumber(settings, MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT),
                Duration.ofMillis(ConfigSource.wholeNumber(settings, DRAIN_TIMEOUT_MS, DEFAULT_DRAIN_TIMEOUT.toMillis())),
                Duration.ofMillis(ConfigSource.wholeNumber(settings, LOOKBACK_MS, DEFAULT_LOOKBACK.toMillis())));
    }

    public ModelWorkerConfig withCatalogue(ModelCatalogue newCatalogue) {
        return new ModelWorkerConfig(kafka, newCatalogue, groupId, maxInFlight, drainTimeout, lookback);
    }

    /** The same configuration on other Kafka settings (another principal's, for example). */
    public ModelWorkerConfig withKafka(KafkaSettings newKafka) {
        return new ModelWorkerConfig(newKafka, catalogue, groupId, maxInFlight, drainTimeout, lookback);
    }

    public ModelWorkerConfig withGroupId(String newGroupId) {
        return new ModelWorkerConfig(kafka, catalogue, newGroupId, maxInFlight, drainTimeout, lookback);
    }

    public ModelWorkerConfig withMaxInFlight(int newMaxInFlight) {
        return new ModelWorkerConfig(kafka, catalogue, groupId, newMaxInFlight, drainTimeout, lookback);
    }

    public ModelWorkerConfig withDrainTimeout(Duration newDrainTimeout) {
        return new ModelWorkerConfig(kafka, catalogue, groupId, maxInFlight, newDrainTimeout, lookback);
    }

    /** The loop's bounds; reading back history may take as long as a drain, and at least 30 s. */
    WorkerLimits limits() {
        Duration catchUp = drainTimeout.compareTo(Duration.ofSeconds(30)) > 0 ? drainTimeout : Duration.ofSeconds(30);
        return new WorkerLimits(maxInFlight, drainTimeout, lookback, catchUp);
    }

    @Override
    public String toString() {
        return "ModelWorkerConfig[kafka=" + kafka + ", providers=" + catalogue.providers().values() + ", models="
                + catalogue.models().stream().map(m -> m.name()).toList() + ", defaultModel=" + catalogue.defaultModel()
                + ", groupId=" + groupId + ", maxInFlight=" + maxInFlight + ", drainTimeout=" + drainTimeout
                + ", lookback=" + lookback + "]";
    }
}
