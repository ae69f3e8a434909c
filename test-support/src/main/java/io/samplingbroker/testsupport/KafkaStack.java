package io.samplingbroker.testsupport;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A running Kafka cluster and schema registry that an integration test can use. Injected by
 * {@link KafkaStackExtension}; shared by every test class in the JVM, so tests keep their topics apart with
 * {@link #uniqueName(String)}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param schemaRegistryUrl base URL of the Confluent-compatible registry API
 * @param backend what runs Kafka: the in-JVM broker or a Testcontainers container
 */
public record KafkaStack(String bootstrapServers, String schemaRegistryUrl, Backend backend) {

    /** Where Kafka runs. */
    public enum Backend {
        /** A KRaft broker inside the test JVM. */
        EMBEDDED,
        /** Apache Kafka in a container (needs a Docker engine). */
        TESTCONTAINERS
    }

    /** Client settings that reach this cluster: start from these and add your own. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** A name no other test in this JVM uses, for topics, groups and prefixes. */
    public static String uniqueName(String base) {
        return base + "-" + Long.toHexString(System.nanoTime()) + "-" + Integer.toHexString(COUNTER.incrementAndGet());
    }

    private static final java.util.concurrent.atomic.AtomicInteger COUNTER = new java.util.concurrent.atomic.AtomicInteger();
}
