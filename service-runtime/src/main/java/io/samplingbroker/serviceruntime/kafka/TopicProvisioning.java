package io.samplingbroker.serviceruntime.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryException;
import io.samplingbroker.schemas.registry.Subjects;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * What a service does with Kafka before it starts: creates the topics it reads and writes if they are missing (and
 * only those: {@link Service}), and registers the value schemas of the topics it writes, so that a registry that
 * refuses one stops start-up with its reason, and so that the first events, written concurrently, do not race to
 * register the same subject.
 */
public final class TopicProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioning.class);

    private TopicProvisioning() {
    }

    /**
     * Blocks (call it at start-up, never on an event loop) for at most {@code timeout}.
     *
     * @throws KafkaUnavailableException naming Kafka or the registry when either cannot be reached or refuses
     */
    public static void prepare(KafkaSettings kafka, Service service, SchemaRegistryClient registry, Duration timeout) {
        List<TopicSpec<?>> topics = service.topics(kafka.samplingTopics());
        createTopics(kafka, topics, timeout);
        if (kafka.registry().getOrDefault(RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS, "true").equalsIgnoreCase("true")) {
            for (TopicSpec<?> topic : service.written(kafka.samplingTopics())) {
                register(registry, topic);
            }
        }
        LOG.info("{}: topics ready ({}), schemas of {} registered", service.id(),
                topics.stream().map(TopicSpec::name).toList(), service.writes());
    }

    private static void createTopics(KafkaSettings kafka, List<TopicSpec<?>> topics, Duration timeout) {
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            TopicProvisioner.ensureTopics(admin, topics).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Cannot create the sampling topics within " + timeout.toSeconds()
                    + " s: is Kafka reachable at " + kafka.bootstrapServers() + "?", e);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Cannot create the sampling topics at " + kafka.bootstrapServers()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while creating the sampling topics", e);
        }
    }

    private static void register(SchemaRegistryClient registry, TopicSpec<?> topic) {
        if (topic.valueSchema() == null) {
            return; // raw bytes (dead letters)
        }
        try {
            registry.register(Subjects.of(topic.name(), false), topic.valueSchema());
        } catch (SchemaRegistryException e) {
            throw new KafkaUnavailableException("The schema registry refused the schema of " + topic.name() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new KafkaUnavailableException("Cannot register the schema of " + topic.name() + ": "
                    + e.getMessage(), e);
        }
    }
}
