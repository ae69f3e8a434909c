package io.samplingbroker.serviceruntime.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryException;
import io.samplingbroker.schemas.registry.Subjects;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * What a deployment needs in Kafka before its services start, done once with admin rights ({@link #provision}: the
 * admin command, the dev stack, the tests): every sampling topic, every topic's value schema, and the ACLs of the
 * writers table ({@link KafkaAcls}); idempotent. A service creates nothing: at start-up it checks that the topics it
 * reads and writes exist ({@link #prepare}), with an error naming the missing ones, and registers the schemas of what it
 * writes when the registry serde's {@code auto.register.schemas} is on (the default), so that a registry that refuses
 * one stops start-up with its reason.
 */
public final class TopicProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioning.class);
    static final String PROVISION_HINT = "provision them first, once, with admin rights: sampling-admin provision";

    private TopicProvisioning() {
    }

    /** What {@link #provision} did. */
    public record Provisioned(List<String> createdTopics, int topics, int schemas, int acls) {
    }

    /**
     * Creates the missing sampling topics, registers every topic's value schema and, when {@code acls} is given,
     * creates its bindings. Blocking, at most {@code timeout} per step.
     *
     * @throws KafkaUnavailableException naming Kafka or the registry when either cannot be reached or refuses
     */
    public static Provisioned provision(KafkaSettings kafka, SchemaRegistryClient registry, KafkaAcls acls,
            Duration timeout) {
        SamplingTopics topics = kafka.samplingTopics();
        List<String> created;
        int bindings = 0;
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            created = await(TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture(), timeout,
                    "create the sampling topics", kafka);
            if (acls != null) {
                List<AclBinding> wanted = acls.bindings(kafka.topics());
                await(admin.createAcls(wanted).all().toCompletionStage().toCompletableFuture(), timeout,
                        "create the ACLs", kafka);
                bindings = wanted.size();
            }
        }
        int schemas = 0;
        for (TopicSpec<?> topic : topics.all()) {
            if (register(registry, topic)) {
                schemas++;
            }
        }
        LOG.info("Provisioned {}*: {} topics ({} created), {} schemas, {} ACLs", kafka.topics().prefix(),
                topics.all().size(), created.size(), schemas, bindings);
        return new Provisioned(created, topics.all().size(), schemas, bindings);
    }

    /**
     * Checks at start-up that the topics {@code service} reads and writes exist, and registers the value schemas of
     * those it writes (unless {@code auto.register.schemas} is off). Blocks (never on an event loop) at most
     * {@code timeout}.
     *
     * @throws KafkaUnavailableException naming the missing topics, or Kafka or the registry when either cannot be
     *     reached or refuses
     */
    public static void prepare(KafkaSettings kafka, Service service, SchemaRegistryClient registry, Duration timeout) {
        List<TopicSpec<?>> topics = service.topics(kafka.samplingTopics());
        checkTopics(kafka, service, topics, timeout);
        if (kafka.registry().getOrDefault(RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS, "true").equalsIgnoreCase("true")) {
            for (TopicSpec<?> topic : service.written(kafka.samplingTopics())) {
                register(registry, topic);
            }
        }
        LOG.info("{}: topics present ({}), schemas of {} registered", service.id(),
                topics.stream().map(TopicSpec::name).toList(), service.writes());
    }

    private static void checkTopics(KafkaSettings kafka, Service service, List<TopicSpec<?>> topics,
            Duration timeout) {
        Set<String> missing = new TreeSet<>();
        Set<String> forbidden = new TreeSet<>();
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(
                    topics.stream().map(TopicSpec::name).toList()).topicNameValues();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
                try {
                    await(topic.getValue().toCompletionStage().toCompletableFuture(), timeout,
                            "describe the sampling topics", kafka);
                } catch (KafkaUnavailableException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        missing.add(topic.getKey());
                    } else if (e.getCause() instanceof TopicAuthorizationException) {
                        forbidden.add(topic.getKey());
                    } else {
                        throw e;
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("topics " + missing + " do not exist: " + PROVISION_HINT);
        }
        if (!forbidden.isEmpty()) {
            problems.add("its Kafka principal may not use " + forbidden + ": the ACLs of the writers table give it"
                    + " these (sampling-admin provision creates them)");
        }
        if (!problems.isEmpty()) {
            throw new KafkaUnavailableException(service.id() + " cannot start: " + String.join("; ", problems), null);
        }
    }

    private static <T> T await(Future<T> future, Duration timeout, String what, KafkaSettings kafka) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Cannot " + what + " within " + timeout.toSeconds()
                    + " s: is Kafka reachable at " + kafka.bootstrapServers() + "?", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw new KafkaUnavailableException("Cannot " + what + " at " + kafka.bootstrapServers() + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while trying to " + what, e);
        }
    }

    /** Registers the topic's value schema; false for a topic of raw bytes, which has none. */
    private static boolean register(SchemaRegistryClient registry, TopicSpec<?> topic) {
        if (topic.valueSchema() == null) {
            return false; // raw bytes (dead letters)
        }
        try {
            registry.register(Subjects.of(topic.name(), false), topic.valueSchema());
            return true;
        } catch (SchemaRegistryException e) {
            throw new KafkaUnavailableException("The schema registry refused the schema of " + topic.name() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new KafkaUnavailableException("Cannot register the schema of " + topic.name() + ": "
                    + e.getMessage(), e);
        }
    }
}
