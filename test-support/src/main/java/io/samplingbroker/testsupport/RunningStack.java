package io.samplingbroker.testsupport;

import io.samplingbroker.embeddedinfra.ApicurioRegistryProcess;
import io.samplingbroker.embeddedinfra.EmbeddedKafkaBroker;
import io.samplingbroker.embeddedinfra.KafkaSecurity;

/**
 * The started Kafka and registry, kept in the root extension store: JUnit closes it when the root context closes
 * (the end of the run), whether tests passed or failed.
 */
final class RunningStack implements AutoCloseable {

    private final KafkaStack stack;
    private final AutoCloseable kafka;
    private final ApicurioRegistryProcess registry;

    private RunningStack(KafkaStack stack, AutoCloseable kafka, ApicurioRegistryProcess registry) {
        this.stack = stack;
        this.kafka = kafka;
        this.registry = registry;
    }

    static RunningStack start(KafkaStack.Backend backend) {
        ApicurioRegistryProcess registry = new ApicurioRegistryProcess(ApicurioRegistryProcess.Settings.ephemeral());
        AutoCloseable kafka = null;
        try {
            registry.start();
            String bootstrap;
            KafkaSecurity security = null;
            if (backend == KafkaStack.Backend.TESTCONTAINERS) {
                TestcontainersKafka container = TestcontainersKafka.start();
                kafka = container;
                bootstrap = container.bootstrapServers();
            } else {
                // secured as production should be, so that a missing or wrong ACL fails a test
                EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(EmbeddedKafkaBroker.Settings.ephemeral()
                        .secured()).start();
                kafka = broker;
                bootstrap = broker.bootstrapServers();
                security = broker.security();
            }
            return new RunningStack(new KafkaStack(bootstrap, registry.confluentApiUrl(), backend, security), kafka,
                    registry);
        } catch (RuntimeException e) {
            closeQuietly(kafka, e);
            closeQuietly(registry, e);
            throw e;
        }
    }

    KafkaStack stack() {
        return stack;
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not stop cleanly", e);
        } finally {
            registry.close();
        }
    }

    private static void closeQuietly(AutoCloseable resource, RuntimeException failure) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
