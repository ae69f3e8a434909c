package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;

import io.samplingbroker.embeddedinfra.Directories;
import io.samplingbroker.embeddedinfra.KafkaSecurity;

/**
 * A running Kafka cluster and schema registry that an integration test can use. Injected by
 * {@link KafkaStackExtension}; shared by every test class in the JVM, so tests keep their topics apart with
 * {@link #uniqueName(String)}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param schemaRegistryUrl base URL of the Confluent-compatible registry API
 * @param backend what runs Kafka: the in-JVM broker or a Testcontainers container
 * @param security the in-JVM broker's TLS and SCRAM users (it runs with the standard authorizer), or null for a
 *     plaintext Kafka (Testcontainers)
 */
public record KafkaStack(String bootstrapServers, String schemaRegistryUrl, Backend backend, KafkaSecurity security) {

    /** Where Kafka runs. */
    public enum Backend {
        /** A KRaft broker inside the test JVM. */
        EMBEDDED,
        /** Apache Kafka in a container (needs a Docker engine). */
        TESTCONTAINERS
    }

    /** Client settings that reach this cluster as its super user: start from these and add your own. */
    public Map<String, Object> clientConfig() {
        return new HashMap<>(clientSettings());
    }

    /** The same as strings, for {@code KafkaSettings}: the super user's, who may do everything (tests' fixtures). */
    public Map<String, String> clientSettings() {
        return clientSettings(KafkaSecurity.ADMIN_USER);
    }

    /** Client settings of {@code user} (a service's, which the ACLs limit); plaintext Kafka has no users. */
    public Map<String, String> clientSettings(String user) {
        Map<String, String> settings = new HashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (security != null) {
            settings.putAll(security.clientSettings(user));
        }
        return settings;
    }

    /**
     * The same as a service's environment ({@code SAMPLING_KAFKA_BOOTSTRAP_SERVERS}, {@code SAMPLING_KAFKA_SASL_...})
     * for a command or a child process.
     */
    public Map<String, String> clientEnvironment(String user) {
        Map<String, String> environment = new HashMap<>();
        clientSettings(user).forEach((key, value) -> environment.put("SAMPLING_KAFKA_"
                + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return environment;
    }

    /**
     * The same as a service's YAML config file ({@code kafka.*} keys), for a command's {@code --config}: written once
     * per user into a private temporary directory.
     */
    public Path clientConfigFile(String user) {
        try {
            Path file = Files.createTempDirectory("sampling-kafka-client-").resolve(user + ".yaml");
            Map<String, String> settings = new HashMap<>();
            clientSettings(user).forEach((key, value) -> settings.put("kafka." + key, value));
            Directories.writeSettingsFile(file, "Kafka client settings of user " + user, settings);
            file.toFile().deleteOnExit();
            file.getParent().toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a Kafka client config file", e);
        }
    }

    /** A name no other test in this JVM uses, for topics, groups and prefixes. */
    public static String uniqueName(String base) {
        return base + "-" + Long.toHexString(System.nanoTime()) + "-" + Integer.toHexString(COUNTER.incrementAndGet());
    }

    private static final java.util.concurrent.atomic.AtomicInteger COUNTER = new java.util.concurrent.atomic.AtomicInteger();
}
