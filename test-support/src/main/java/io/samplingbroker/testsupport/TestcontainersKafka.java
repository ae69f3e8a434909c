package io.samplingbroker.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** Apache Kafka in a container, for machines with a Docker engine where the user asks for it. */
final class TestcontainersKafka implements AutoCloseable {

    /** The image matching the Kafka client version the project uses. */
    static final String IMAGE = "apache/kafka:4.3.1";

    private final KafkaContainer container;

    private TestcontainersKafka(KafkaContainer container) {
        this.container = container;
    }

    private static volatile Boolean dockerAvailable;

    /** Asks Testcontainers once per JVM: the probe is slow and noisy. */
    static boolean dockerAvailable() {
        if (dockerAvailable == null) {
            boolean available;
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException e) {
                available = false;
            }
            dockerAvailable = available;
        }
        return dockerAvailable;
    }

    static TestcontainersKafka start() {
        KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new TestcontainersKafka(container);
    }

    String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
