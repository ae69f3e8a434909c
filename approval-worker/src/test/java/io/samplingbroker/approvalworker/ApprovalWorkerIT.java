package io.samplingbroker.approvalworker;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.approvalworker.decision.TokenEstimate;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.DeadLetters;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.Polling;

/** The approval-worker on a real Kafka broker and a real schema registry, started as the dev stack will start it. */
@ExtendWith(KafkaStackExtension.class)
class ApprovalWorkerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void givenACapRule_whenRequestsArePublished_thenDecisionsCarryTheEffectiveParams(KafkaStack stack) throws Exception {
        // Given
        Running running = start(stack, """
                defaultAction: approve
                rules:
                  - id: cap-tokens
                    action: amend
                    amend: {capMaxTokens: 1000}
                """);
        try (running.worker) {
            SamplingRequested large = request("req-large").requestedAt(Instant.now()).maxTokens(4000).build();
            SamplingRequested small = request("req-small").requestedAt(Instant.now()).maxTokens(500).build();
            // When
            running.publish(large, small);
            // Then
            Map<String, SamplingDecided> decided = running.decisions(2);
            assertThat(decided.get("req-large").getDecision()).isEqualTo(Decision.AMENDED);
            assertThat(decided.get("req-large").getEffectiveParams().getMaxTokens()).isEqualTo(1000);
            assertThat(decided.get("req-large").getChanges()).containsExactly("maxTokens 4000 -> 1000");
            assertThat(decided.get("req-large").getContext()).isEqualTo(large.getContext());
            assertThat(decided.get("req-small").getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(decided.get("req-small").getEffectiveParams()).isEqualTo(small.getParams());
            assertThat(running.worker.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    @Test
    void givenADenyRule_whenAMatchingRequestIsPublished_thenADenialAndAUserRejectedResultAreWritten(KafkaStack stack)
            throws Exception {
        // Given
        Running running = start(stack, """
                defaultAction: approve
                rules:
                  - id: no-passwords
                    when: {textMatches: '(?i)password'}
                    action: deny
                    reason: Prompts must not carry passwords
                """);
        try (running.worker) {
            SamplingRequested request = request("req-pw").requestedAt(Instant.now()).text("my password is x").build();
            // When
            running.publish(request);
            // Then
            SamplingDecided decided = running.decisions(1).get("req-pw");
            assertThat(decided.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(decided.getReason()).isEqualTo("Prompts must not carry passwords");
            List<ConsumerRecord<String, SamplingResolved>> results = running.results(1);
            assertThat(results).hasSize(1);
            assertThat(results.get(0).key()).isEqualTo("req-pw");
            assertThat(results.get(0).value().getError().getCode()).isEqualTo(SamplingErrors.USER_REJECTED);
            assertThat(results.get(0).value().getError().getData()).isEqualTo("{\"reason\":\"Prompts must not carry passwords\"}");
            assertThat(results.get(0).value().getResolvedBy()).isEqualTo("approval-worker");
        }
    }

    @Test
    void givenARateLimitOfThreePerMinute_whenFiveRequestsFromOneHostArrive_thenThreePassAndTwoAreDenied(KafkaStack stack)
            throws Exception {
        // Given
        Running running = start(stack, """
                defaultAction: approve
                rules:
                  - id: host-rate
                    rateLimit: {per: host, requestsPerMinute: 3}
                    action: deny
                """);
        try (running.worker) {
            Instant minute = Instant.now(); // one requestedAt: all five fall in the same window
            SamplingRequested[] requests = new SamplingRequested[5];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = request("req-" + i).host("vscode-busy").requestedAt(minute).build();
            }
            // When (keyed by request id, they spread over the partitions; the worker regroups them by host)
            running.publish(requests);
            // Then
            Map<String, SamplingDecided> decided = running.decisions(5);
            assertThat(decided.values()).extracting(SamplingDecided::getDecision)
                    .containsExactlyInAnyOrder(Decision.APPROVED, Decision.APPROVED, Decision.APPROVED,
                            Decision.DENIED, Decision.DENIED);
            assertThat(running.results(2)).extracting(record -> record.value().getError().getCode())
                    .containsExactly(-1, -1);
        }
    }

    @Test
    void givenATokenReservation_whenTheWorkerRestartsOnAnEmptyStateDir_thenTheBudgetStillHoldsItAndItsCompletionSettles(
            KafkaStack stack) throws Exception {
        long reservation = TokenEstimate.reservation(request("x").build().getParams());
        String policy = """
                defaultAction: approve
                rules:
                  - id: host-budget
                    tokenBudget: {per: host, tokensPerDay: %d}
                    action: deny
                """.formatted(2 * reservation - 1);
        String name = KafkaStack.uniqueName("approval-it");
        Instant now = Instant.now();
        Requests first = request("req-first").host("vscode-budget").requestedAt(now);
        Running before = start(stack, policy, name, name + "-1");
        try (before.worker) {
            before.publish(first.build());
            assertThat(before.decisions(1).get("req-first").getDecision()).isEqualTo(Decision.APPROVED);
        }
        // the same application on another machine: its stores come back from their changelogs
        Running after = start(stack, policy, name, name + "-2");
        try (after.worker) {
            after.publish(request("req-over").host("vscode-budget").requestedAt(now.plusSeconds(1)).build());
            assertThat(after.decisions(2).get("req-over").getDecision()).as("the reservation survived").isEqualTo(
                    Decision.DENIED);

            after.publishCompletion(first.completed(40L, 60L), "req-first");

            // settled at 100 tokens, the first leaves room for one reservation more; the settlement crosses its own
            // internal topic, so ask until it has landed (a denied request uses nothing)
            Decision fits = Decision.DENIED;
            for (int i = 0; i < 20 && fits == Decision.DENIED; i++) {
                after.publish(request("req-fits-" + i).host("vscode-budget").requestedAt(now.plusSeconds(2)).build());
                fits = after.decisions(3 + i).get("req-fits-" + i).getDecision();
            }
            assertThat(fits).isEqualTo(Decision.APPROVED);
        }
    }

    @Test
    void givenAnUnreadableRecord_whenItArrives_thenItGoesToTheDeadLetterTopicAndLaterRequestsAreStillDecided(
            KafkaStack stack) throws Exception {
        // Given
        Running running = start(stack, "defaultAction: approve\n");
        try (running.worker) {
            Map<String, Object> config = stack.clientConfig();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config,
                    new StringSerializer(), new ByteArraySerializer())) {
                // When: bytes that are not in the registry's wire format, then a good request
                producer.send(new ProducerRecord<>(running.topics.requests().name(), "req-garbage",
                        new byte[] {42, 42, 42})).get();
            }
            running.publish(request("req-after").requestedAt(Instant.now()).build());
            // Then
            assertThat(running.decisions(1)).containsOnlyKeys("req-after");
            List<ConsumerRecord<String, byte[]>> dead = running.read(running.topics.deadLetters(), 1);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).containsExactly(42, 42, 42);
            assertThat(dead.get(0).key()).isEqualTo("req-garbage");
            assertThat(header(dead.get(0), DeadLetters.SOURCE_TOPIC)).isEqualTo(running.topics.requests().name());
            assertThat(header(dead.get(0), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(header(dead.get(0), DeadLetters.SERVICE)).isEqualTo("approval-worker");
            assertThat(header(dead.get(0), DeadLetters.REASON)).isNotBlank();
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private Running start(KafkaStack stack, String policyYaml) throws IOException {
        String name = KafkaStack.uniqueName("approval-it");
        return start(stack, policyYaml, name, name);
    }

    /** An instance of application {@code name} whose local state is in {@code stateDir}. */
    private Running start(KafkaStack stack, String policyYaml, String name, String stateDir) throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), policyYaml);
        TopicsConfig topicsConfig = new TopicsConfig(name + ".", 3, (short) -1, -1, Map.of());
        KafkaSettings kafka = new KafkaSettings(stack.clientConfig().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()))),
                Map.of(), Map.of(), Map.of(), Map.of("state.dir", Path.of("target", "it-state", stateDir).toAbsolutePath().toString()),
                Map.of(RegistrySerdeConfig.URL, stack.schemaRegistryUrl()), topicsConfig);
        TopicProvisioning.provision(kafka, kafka.newRegistryClient(), null, TIMEOUT);
        ApprovalWorkerConfig config = new ApprovalWorkerConfig(kafka, policy.toString(), name, TIMEOUT, null);
        return new Running(stack, ApprovalWorker.start(config), kafka.samplingTopics(), kafka.newRegistryClient());
    }

    /** A started worker and clients of its topics. */
    private record Running(KafkaStack stack, ApprovalWorker worker, SamplingTopics topics, SchemaRegistryClient registry) {

        void publish(SamplingRequested... requests) throws Exception {
            Map<String, Object> config = stack.clientConfig();
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            TopicSpec<SpecificRecord> topic = topics.requests();
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config,
                    topic.keySerde().serializer(), topic.valueSerde(registry).serializer())) {
                for (SamplingRequested request : requests) {
                    producer.send(new ProducerRecord<>(topic.name(), request.getContext().getRequestId(), request)).get();
                }
            }
        }

        void publishCompletion(SpecificRecord completion, String requestId) throws Exception {
            Map<String, Object> config = stack.clientConfig();
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            TopicSpec<SpecificRecord> topic = topics.completions();
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config,
                    topic.keySerde().serializer(), topic.valueSerde(registry).serializer())) {
                producer.send(new ProducerRecord<>(topic.name(), requestId, completion)).get();
            }
        }

        Map<String, SamplingDecided> decisions(int count) {
            List<ConsumerRecord<String, SamplingDecided>> records = read(topics.decisions(), count);
            assertThat(records).as("decisions").hasSize(count);
            return records.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
        }

        List<ConsumerRecord<String, SamplingResolved>> results(int count) {
            return read(topics.results(), count);
        }

        <V> List<ConsumerRecord<String, V>> read(TopicSpec<V> topic, int count) {
            Map<String, Object> config = stack.clientConfig();
            config.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaStack.uniqueName("approval-it-reader"));
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                    topic.valueSerde(registry).deserializer())) {
                consumer.subscribe(List.of(topic.name()));
                List<ConsumerRecord<String, V>> records = Polling.pollRecords(consumer, count, TIMEOUT);
                // anything more (a duplicate, an unexpected result) would show up within a short extra poll
                records.addAll(Polling.pollRecords(consumer, 1, Duration.ofMillis(300)));
                return records;
            }
        }
    }
}
