package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * Least privilege on the secured embedded Kafka (SASL_SSL, SCRAM users, the standard authorizer), with only the ACLs
 * provisioning made from the writers table: a service writing or reading a topic its row does not give it is refused
 * by Kafka itself, and a client without valid credentials does not get in. That the pipeline runs on these ACLs alone
 * is what every other system test shows.
 */
@ExtendWith(KafkaStackExtension.class)
class KafkaAclsIT {

    @Test
    void givenTheShippedACLs_whenAServiceWritesOrReadsATopicItDoesNotOwn_thenKafkaRefusesIt(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(stack.security() != null, "ACLs are tested on the secured embedded Kafka");
        try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null, Map.of(), 1,
                Duration.ofSeconds(30))) {
            SamplingTopics topics = services.kafka.samplingTopics();
            // the model-worker writes dead letters: allowed
            try (KafkaProducer<byte[], byte[]> modelWorker = producer(stack, "model-worker")) {
                modelWorker.send(new ProducerRecord<>(topics.deadLetters().name(), bytes("k"), bytes("v")))
                        .get(30, TimeUnit.SECONDS);
                // When it writes the requests topic, which is the broker's
                // Then
                assertThatThrownBy(() -> modelWorker.send(new ProducerRecord<>(topics.requests().name(), bytes("k"),
                        bytes("forged request"))).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            // the review console may not read the requests topic (prompts reach it only through reviews)
            try (KafkaConsumer<byte[], byte[]> console = consumer(stack, "review-console")) {
                TopicPartition requests = new TopicPartition(topics.requests().name(), 0);
                console.assign(List.of(requests));
                console.seekToBeginning(List.of(requests));
                assertThatThrownBy(() -> console.poll(Duration.ofSeconds(10)))
                        .isInstanceOf(TopicAuthorizationException.class);
            }
            // and a broker user may not write the decisions topic
            try (KafkaProducer<byte[], byte[]> broker = producer(stack, "broker")) {
                assertThatThrownBy(() -> broker.send(new ProducerRecord<>(topics.decisions().name(), bytes("k"),
                        bytes("forged approval"))).get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            // a client with a wrong password does not get in at all
            Map<String, Object> wrong = new HashMap<>(stack.clientSettings("broker"));
            wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"broker\" password=\"not-the-password\";");
            wrong.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            try (KafkaProducer<byte[], byte[]> stranger = new KafkaProducer<>(wrong, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                assertThatThrownBy(() -> stranger.send(new ProducerRecord<>(topics.completions().name(), bytes("k"),
                        bytes("v"))).get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaStack stack, String user) {
        Map<String, Object> config = new HashMap<>(stack.clientSettings(user));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaStack stack, String user) {
        Map<String, Object> config = new HashMap<>(stack.clientSettings(user));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
