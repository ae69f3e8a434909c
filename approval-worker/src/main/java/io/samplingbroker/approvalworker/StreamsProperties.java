package io.samplingbroker.approvalworker;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;

/**
 * The Kafka Streams settings: our defaults, then whatever {@code kafka.*} and {@code kafka.streams.*} say.
 *
 * <p>Defaults chosen for latency, with at-least-once delivery (see the module README): records flow as soon as they
 * are processed, no cache holds them back, and offsets are committed every 100 ms to keep the replay after a crash
 * short. A record that cannot be read goes to the dead-letter topic instead of stopping every decision
 * ({@link DeadLetterUnlessRegistryDown}).
 */
final class StreamsProperties {

    static final long COMMIT_INTERVAL_MS = 100;

    private StreamsProperties() {
    }

    // The global-thread switch is deprecated on arrival (Kafka 5 turns it on and drops it); until then, without it
    // Kafka Streams warns at every start and the global store's errors bypass the handler.
    @SuppressWarnings("deprecation")
    static Properties of(ApprovalWorkerConfig config, String applicationId, String role, DeadLetterMeter deadLetters) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        // Kafka Streams' producers linger 100 ms by default: every decision would wait for it (measured in
        // docs/benchmarks.md). One millisecond still batches under load.
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "1");
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterUnlessRegistryDown.class.getName());
        properties.put(DeadLetterUnlessRegistryDown.METER_CONFIG, deadLetters); // an object: Streams hands it over as is
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Kafka Streams 4.3 re-reads its settings in the partition assignor from the main consumer's settings only,
        // and warns again unless the switch is there too.
        properties.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                "true");
        // a killed instance's tasks move to the others after the group's session timeout, not Kafka's 45 s
        KafkaClients.GROUP_MEMBER_DEFAULTS.forEach((key, value) ->
                properties.put(StreamsConfig.mainConsumerPrefix(key), value));
        properties.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                config.kafka().samplingTopics().deadLetters().name());
        Map<String, Object> kafka = config.kafka().streamsConfig();
        // the registry settings reach the serdes through the shared client; Kafka clients would only warn about them
        config.kafka().registry().keySet().forEach(kafka::remove);
        properties.putAll(kafka);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // each application's clients are named apart (approval-worker-decision-StreamThread-1-producer, ...)
        properties.put(StreamsConfig.CLIENT_ID_CONFIG, KafkaClients.clientId(config.kafka(), Service.APPROVAL_WORKER, role));
        return properties;
    }
}
