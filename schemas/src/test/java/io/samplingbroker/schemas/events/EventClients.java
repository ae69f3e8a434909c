package io.samplingbroker.schemas.events;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.testsupport.KafkaStack;

/** Producers and consumers of one topic, with the topic's own serdes. */
final class EventClients {

    private EventClients() {
    }

    static SchemaRegistryClient registry(KafkaStack stack) {
        return new SchemaRegistryClient(RegistrySerdeConfig.fromConfigs(Map.of(RegistrySerdeConfig.URL,
                stack.schemaRegistryUrl())));
    }

    static <V> KafkaProducer<String, V> producer(KafkaStack stack, TopicSpec<V> topic, SchemaRegistryClient registry) {
        Map<String, Object> config = stack.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde(registry).serializer());
    }

    static <V> KafkaConsumer<String, V> consumer(KafkaStack stack, TopicSpec<V> topic, SchemaRegistryClient registry) {
        Map<String, Object> config = stack.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaStack.uniqueName("it-group"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde(registry).deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }
}
