package io.samplingbroker.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.Subjects;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.Polling;

/** Every event type goes through the real Kafka broker and the real schema registry and comes back equal. */
@ExtendWith(KafkaStackExtension.class)
class EventTopicsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void givenTheTopicCatalogue_whenProvisionedTwice_thenTopicsExistWithAuditRetentionAndTheSecondRunCreatesNothing(
            KafkaStack stack) throws Exception {
        // Given
        SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults().withPrefix(KafkaStack.uniqueName("prov") + "."));
        try (Admin admin = Admin.create(stack.clientConfig())) {
            // When
            List<String> first = TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture().get();
            List<String> second = TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture().get();
            // Then
            assertThat(first).containsExactlyInAnyOrderElementsOf(topics.all().stream().map(TopicSpec::name).toList());
            assertThat(second).isEmpty();
            ConfigResource requests = new ConfigResource(ConfigResource.Type.TOPIC, topics.requests().name());
            Config config = admin.describeConfigs(List.of(requests)).all().get().get(requests);
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(admin.describeTopics(List.of(topics.requests().name())).allTopicNames().get()
                    .get(topics.requests().name()).partitions()).hasSize(TopicsConfig.DEFAULT_PARTITIONS);
        }
    }

    @Test
    void givenEveryEventType_whenWrittenToItsTopic_thenItIsReadBackEqualAndInOrderPerRequest(KafkaStack stack)
            throws Exception {
        // Given
        SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults().withPrefix(KafkaStack.uniqueName("events") + "."));
        SchemaRegistryClient registry = EventClients.registry(stack);
        try (Admin admin = Admin.create(stack.clientConfig())) {
            TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture().get();
        }
        String ok = "req-ok";
        String no = "req-denied";
        // When / Then
        roundTrip(stack, registry, topics.requests(), List.of(
                SampleEvents.requested(ok), SampleEvents.requested(no)));
        roundTrip(stack, registry, topics.decisions(), List.of(
                SampleEvents.amended(ok), SampleEvents.denied(no)));
        roundTrip(stack, registry, topics.completions(), List.of(
                SampleEvents.failed(ok), SampleEvents.completed(ok)));
        roundTrip(stack, registry, topics.results(), List.of(
                SampleEvents.resolvedWithResult(ok), SampleEvents.resolvedWithError(no)));
        roundTrip(stack, registry, topics.lifecycle(), List.of(
                SampleEvents.delivered(ok), SampleEvents.cancelled(no), SampleEvents.expired(no), SampleEvents.abandoned(no)));
        roundTrip(stack, registry, topics.reviewCommands(), List.of(SampleEvents.reviewEdit(ok)));
        roundTrip(stack, registry, topics.reviews(), List.of(SampleEvents.reviewedResponse(ok)));
        roundTrip(stack, registry, topics.hostKeys(), List.of(SampleEvents.hostKey("0123456789abcdef")));

        // And the registry holds each topic's schema under its TopicNameStrategy subject
        for (TopicSpec<?> topic : topics.all()) {
            if (topic.valueSchema() != null) {
                SchemaRegistryClient.RegisteredSchema latest = registry.latest(Subjects.of(topic.name(), false));
                assertThat(latest.schema()).isEqualTo(topic.valueSchema());
            }
        }
    }

    private static <V> void roundTrip(KafkaStack stack, SchemaRegistryClient registry, TopicSpec<V> topic, List<V> events)
            throws Exception {
        try (KafkaProducer<String, V> producer = EventClients.producer(stack, topic, registry)) {
            for (V event : events) {
                producer.send(new ProducerRecord<>(topic.name(), requestIdOf(event), event)).get();
            }
        }
        try (KafkaConsumer<String, V> consumer = EventClients.consumer(stack, topic, EventClients.registry(stack))) {
            List<ConsumerRecord<String, V>> records = Polling.pollRecords(consumer, events.size(), TIMEOUT);
            assertThat(records).as("records read back from %s", topic.name()).hasSize(events.size());
            for (String requestId : Set.copyOf(records.stream().map(ConsumerRecord::key).toList())) {
                List<V> sent = events.stream().filter(e -> requestIdOf(e).equals(requestId)).toList();
                List<V> received = records.stream().filter(r -> r.key().equals(requestId)).map(ConsumerRecord::value).toList();
                assertThat(received).as("events of %s on %s", requestId, topic.name()).containsExactlyElementsOf(sent);
            }
        }
    }

    private static String requestIdOf(Object event) {
        if (event instanceof io.samplingbroker.events.ReviewCommand command) {
            return command.getRequestId();
        }
        if (event instanceof io.samplingbroker.events.HostKey key) {
            return key.getKeyId(); // keyed by key id, not by a request
        }
        Schema schema = ((org.apache.avro.specific.SpecificRecord) event).getSchema();
        Object context = ((org.apache.avro.specific.SpecificRecord) event).get(schema.getField("context").pos());
        return ((io.samplingbroker.events.SamplingContext) context).getRequestId();
    }

}
