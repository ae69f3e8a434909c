package io.samplingbroker.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.embeddedinfra.ApicurioRegistryProcess;
import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.Polling;

/** The registry is down, late, or gone: the serializer retries, then fails loudly; no record is lost quietly. */
@ExtendWith(KafkaStackExtension.class)
class RegistryFailureIT {

    @Test
    void givenAnUnreachableRegistry_whenAnEventIsSent_thenSendFailsNamingTheRegistryAndNothingIsWritten(KafkaStack stack)
            throws Exception {
        // Given
        SamplingTopics topics = provisionedTopics(stack, "down");
        String deadUrl = "http://127.0.0.1:" + LoopbackPorts.freePort() + "/apis/ccompat/v7";
        SchemaRegistryClient unreachable = client(deadUrl, 1_500);
        long started = System.nanoTime();
        // When
        try (KafkaProducer<String, SpecificRecord> producer = EventClients.producer(stack, topics.requests(), unreachable)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topics.requests().name(), "r1",
                    SampleEvents.requested("r1"))))
                    // Then
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("Schema registry unreachable while registering a schema under subject '"
                            + topics.requests().name() + "-value'")
                    .hasMessageContaining(deadUrl)
                    .hasMessageContaining("attempt(s) over 1500 ms")
                    .hasMessageContaining("ConnectException");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1_400), Duration.ofSeconds(10));
        try (KafkaConsumer<String, SpecificRecord> consumer = EventClients.consumer(stack, topics.requests(),
                EventClients.registry(stack))) {
            assertThat(Polling.pollRecords(consumer, 1, Duration.ofSeconds(2))).isEmpty();
        }
    }

    @Test
    void givenARegistryThatStartsLate_whenAnEventIsSent_thenTheSerializerRetriesUntilItAnswersAndLaterCachedSchemasOutliveIt(
            KafkaStack stack) throws Exception {
        // Given
        SamplingTopics topics = provisionedTopics(stack, "late");
        ApicurioRegistryProcess lateRegistry = new ApicurioRegistryProcess(ApicurioRegistryProcess.Settings.ephemeral());
        SchemaRegistryClient client = client(lateRegistry.confluentApiUrl(), 60_000);
        CompletableFuture<ApicurioRegistryProcess> starting = CompletableFuture.supplyAsync(() -> {
            sleep(1_000);
            return lateRegistry.start();
        });
        try (KafkaProducer<String, SpecificRecord> producer = EventClients.producer(stack, topics.requests(), client)) {
            // When
            producer.send(new ProducerRecord<>(topics.requests().name(), "r1", SampleEvents.requested("r1"))).get();
            // Then the cached schema id serves further records even once the registry is gone
            starting.get(60, TimeUnit.SECONDS).close();
            producer.send(new ProducerRecord<>(topics.requests().name(), "r2", SampleEvents.requested("r2"))).get();
        } finally {
            starting.thenAccept(ApicurioRegistryProcess::close);
        }
        try (KafkaConsumer<String, SpecificRecord> consumer = EventClients.consumer(stack, topics.requests(),
                client(lateRegistry.confluentApiUrl(), 0))) {
            // but a reader without the schema cached cannot decode them while the registry is down, and says why
            assertThatThrownBy(() -> Polling.pollRecords(consumer, 2, Duration.ofSeconds(10)))
                    .hasMessageContaining("Error deserializing VALUE for partition " + topics.requests().name())
                    .cause()
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("Schema registry unreachable while fetching schema id");
        }
    }

    private static SamplingTopics provisionedTopics(KafkaStack stack, String name) throws Exception {
        SamplingTopics topics = new SamplingTopics(new TopicsConfig(KafkaStack.uniqueName(name) + ".", 1, (short) 1, -1,
                Map.of()));
        try (Admin admin = Admin.create(stack.clientConfig())) {
            TopicProvisioner.ensureTopics(admin, List.of(topics.requests())).toCompletableFuture().get();
        }
        return topics;
    }

    private static SchemaRegistryClient client(String url, long retryMaxMs) {
        return new SchemaRegistryClient(RegistrySerdeConfig.fromConfigs(Map.of(
                RegistrySerdeConfig.URL, url,
                RegistrySerdeConfig.RETRY_MAX_MS, retryMaxMs,
                RegistrySerdeConfig.REQUEST_TIMEOUT_MS, 2_000)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
