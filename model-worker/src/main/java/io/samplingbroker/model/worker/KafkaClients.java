package io.samplingbroker.model.worker;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.samplingbroker.runtime.KafkaSettings;

/** The Kafka client settings the worker needs on top of the configured ones, and why. */
final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * Outcomes are written once and for good: {@code acks=all} with idempotence, whatever the configuration says,
     * since a lost or duplicated outcome would break the no-double-send guarantee. Batches linger 1 ms unless
     * configured: the clients' default since Kafka 4.0 is 5 ms, which every answer would wait for at low rates
     * (measured in docs/benchmarks.md).
     */
    static Map<String, Object> producer(KafkaSettings kafka) {
        Map<String, Object> config = kafka.producerConfig();
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    /**
     * The group member reading decisions. Offsets are committed by the worker only (never automatically); a new
     * group starts at the earliest decision (older ones are skipped by deadline, none is missed); cooperative
     * rebalancing so that a rebalance only stops the partitions that move.
     */
    static Map<String, Object> decisions(KafkaSettings kafka, String groupId) {
        Map<String, Object> config = kafka.consumerConfig(groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        boolean classicProtocol = !"consumer".equalsIgnoreCase(
                String.valueOf(config.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic")));
        if (classicProtocol) {
            // The KIP-848 protocol (group.protocol=consumer) is incremental already and refuses this setting.
            config.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName());
        }
        return config;
    }

    /** A consumer outside any group, assigned partitions by hand (lifecycle follower, completions read-back). */
    static Map<String, Object> standalone(KafkaSettings kafka, String groupId) {
        Map<String, Object> config = kafka.consumerConfig(groupId);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.remove(ConsumerConfig.CLIENT_ID_CONFIG); // a configured id would clash with the group member's
        return config;
    }
}
