package io.samplingbroker.serviceruntime.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * The Kafka client settings of every service, with one defaults policy: <b>the operator's settings always win</b>.
 * Each client starts from the services' defaults below, then {@code kafka.*}, then {@code kafka.producer.*} or
 * {@code kafka.consumer.*} on top. Only what makes a client the kind it is cannot be configured away: an assigned
 * reader has no group and commits nothing. An operator setting that weakens a guarantee is used, and logged as a
 * warning naming what it costs.
 *
 * <p>Client ids are {@code <client.id>-<role>} when the operator sets {@code kafka.client.id}, else
 * {@code <service>-<role>}, so each client of each service is told apart in Kafka's logs, quotas and metrics.
 */
public final class KafkaClients {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

    /**
     * Event producers: every event acknowledged by all in-sync replicas, written once per send (idempotence);
     * batches linger 1 ms (Kafka 4's 5 ms default would add itself to every answer at low rates, measured in
     * docs/benchmarks.md); a send blocks at most 10 s for metadata.
     */
    static final Map<String, Object> PRODUCER_DEFAULTS = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.LINGER_MS_CONFIG, "1",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");

    private KafkaClients() {
    }

    /** A producer of events for {@code service}; {@code role} names the client ({@code events}, {@code commands}). */
    public static Map<String, Object> producer(KafkaSettings kafka, Service service, String role) {
        return producer(kafka, service, role, Map.of());
    }

    /** As above, with defaults of the service's own between ours and the operator's. */
    public static Map<String, Object> producer(KafkaSettings kafka, Service service, String role,
            Map<String, ?> serviceDefaults) {
        Map<String, Object> config = new HashMap<>(PRODUCER_DEFAULTS);
        config.putAll(serviceDefaults);
        config.putAll(kafka.producerConfig());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(kafka, service, role));
        warnIfWeakened(config, service);
        return config;
    }

    /**
     * How long a group member may be silent before its partitions go to the others: Kafka's 45 s default equals the
     * sampling deadline, so a killed worker's requests would all expire before anyone took them over (measured by the
     * fault suite, docs/reliability.md). A member heartbeats every 3 s, so 15 s allows four missed beats.
     */
    public static final Map<String, Object> GROUP_MEMBER_DEFAULTS = Map.of(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");

    /**
     * A member of consumer group {@code groupId} that commits its offsets itself; a new group starts at
     * {@code offsetReset} unless the operator says otherwise. With the classic group protocol a member is given up
     * after {@link #GROUP_MEMBER_DEFAULTS} (the KIP-848 protocol takes its session timeout from the Kafka cluster, and
     * refuses these settings).
     */
    public static Map<String, Object> groupConsumer(KafkaSettings kafka, Service service, String role, String groupId,
            String offsetReset) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        Map<String, Object> operator = kafka.consumerConfig(groupId);
        if (!"consumer".equalsIgnoreCase(String.valueOf(operator.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
            config.putAll(GROUP_MEMBER_DEFAULTS);
        }
        config.putAll(operator);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // the service commits what it has processed
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(kafka, service, role));
        return config;
    }

    /**
     * A reader that is assigned its partitions: no consumer group, nothing committed (it seeks where it starts).
     * {@code offsetReset} applies when a seek finds no offset.
     */
    public static Map<String, Object> assignedConsumer(KafkaSettings kafka, Service service, String role,
            String offsetReset) {
        Map<String, Object> config = assignedReader(kafka, offsetReset);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(kafka, service, role));
        return config;
    }

    /**
     * The same reader for a tool outside the services' table (the audit, the benchmark, tests), named
     * {@code clientId} unless the operator's settings name it.
     */
    public static Map<String, Object> assignedReader(KafkaSettings kafka, String clientId, String offsetReset) {
        Map<String, Object> config = assignedReader(kafka, offsetReset);
        config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    private static Map<String, Object> assignedReader(KafkaSettings kafka, String offsetReset) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        config.putAll(kafka.consumerConfig(null));
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return config;
    }

    /** {@code <kafka.client.id>-<role>}, or {@code <service>-<role>}. */
    public static String clientId(KafkaSettings kafka, Service service, String role) {
        String configured = kafka.common().get(CommonClientConfigs.CLIENT_ID_CONFIG);
        return (configured == null || configured.isBlank() ? service.id() : configured) + "-" + role;
    }

    private static void warnIfWeakened(Map<String, Object> config, Service service) {
        String acks = String.valueOf(config.get(ProducerConfig.ACKS_CONFIG));
        if (!acks.equals("all") && !acks.equals("-1")) {
            LOG.warn("{}: kafka.producer.acks={} as configured: an event acknowledged by one replica is lost if that "
                    + "Kafka node fails before the others copy it", service.id(), acks);
        }
        if (!Boolean.parseBoolean(String.valueOf(config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)))) {
            LOG.warn("{}: kafka.producer.enable.idempotence=false as configured: a retried send can write an event "
                    + "twice", service.id());
        }
    }
}
