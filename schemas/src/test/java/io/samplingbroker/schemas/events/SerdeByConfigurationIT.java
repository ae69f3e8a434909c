package io.samplingbroker.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.schemas.registry.AvroRegistrySerializer;
import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.Polling;

/**
 * A serializer named by {@code value.serializer} in the client config replaces the topic's own, the way Confluent's
 * {@code KafkaAvroSerializer} would be swapped in; configured with {@code use.latest.version=true} it writes union
 * topics with the registered union schema, and the default deserializer reads the records.
 */
@ExtendWith(KafkaStackExtension.class)
class SerdeByConfigurationIT {

    @Test
    void givenASerializerClassInTheClientConfig_whenItWritesToAUnionTopic_thenTheTopicsOwnDeserializerReadsTheEvents(
            KafkaStack stack) throws Exception {
        // Given: the lifecycle topic with its union schema registered by the default serde
        SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults().withPrefix(KafkaStack.uniqueName("swap") + "."));
        TopicSpec<SpecificRecord> lifecycle = topics.lifecycle();
        SchemaRegistryClient registry = EventClients.registry(stack);
        try (Admin admin = Admin.create(stack.clientConfig())) {
            TopicProvisioner.ensureTopics(admin, List.of(lifecycle)).toCompletableFuture().get();
        }
        registry.register(lifecycle.name() + "-value", lifecycle.valueSchema());
        Map<String, Object> producerConfig = stack.clientConfig();
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroRegistrySerializer.class.getName());
        producerConfig.put(RegistrySerdeConfig.URL, stack.schemaRegistryUrl());
        producerConfig.put(RegistrySerdeConfig.USE_LATEST_VERSION, "true");
        producerConfig.put(RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS, "false");

        // When
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(producerConfig,
                lifecycle.keySerde().serializer(), lifecycle.valueSerializer(producerConfig, null))) {
            producer.send(new ProducerRecord<>(lifecycle.name(), "r1", SampleEvents.cancelled("r1"))).get();
            producer.send(new ProducerRecord<>(lifecycle.name(), "r1", SampleEvents.expired("r1"))).get();
        }

        // Then
        try (KafkaConsumer<String, SpecificRecord> consumer = EventClients.consumer(stack, lifecycle, registry)) {
            List<ConsumerRecord<String, SpecificRecord>> records = Polling.pollRecords(consumer, 2, Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::value)
                    .containsExactly(SampleEvents.cancelled("r1"), SampleEvents.expired("r1"));
        }
    }

    @Test
    void givenAnUnknownSerializerClass_whenTheSerializerIsCreated_thenTheErrorNamesClassAndTopic() {
        TopicSpec<?> requests = new SamplingTopics(TopicsConfig.defaults()).requests();

        assertThatThrownBy(() -> requests.valueSerializer(Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                "io.confluent.kafka.serializers.KafkaAvroSerializer"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("io.confluent.kafka.serializers.KafkaAvroSerializer")
                .hasMessageContaining("sampling.requests");
    }
}
