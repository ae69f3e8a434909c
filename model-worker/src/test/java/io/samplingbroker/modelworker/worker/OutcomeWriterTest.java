package io.samplingbroker.modelworker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.context.Context;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.testing.McpParams;
import io.samplingbroker.modelworker.testing.WorkerEvents;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.testing.PlainAvroSerde;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.kafka.DeadLetters;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/**
 * The outcome writer against Kafka's {@link MockProducer}: values are real Avro (without a registry) written by
 * serializers that stamp the chain hash as the topics' own do, so the tamper-evidence links can be checked.
 */
class OutcomeWriterTest {

    private final ServiceMetrics metrics = ServiceMetrics.create(Service.MODEL_WORKER);

    private static final Instant NOW = Instant.parse("2026-11-24T10:15:31Z");
    private static final String REQUEST = "req-7";
    /** Longer than the writer's first pause between attempts (200 ms). */
    private static final long LONGER_THAN_A_RETRY_PAUSE = 500;

    private final SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults());
    private final Serializer<SpecificRecord> completionSerializer = PlainAvroSerde.stampingSerializerOf(SamplingTopics.COMPLETIONS_SCHEMA);
    private final Deserializer<SpecificRecord> completionReader = PlainAvroSerde.deserializerOf(SamplingTopics.COMPLETIONS_SCHEMA);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService continuation = Executors.newSingleThreadExecutor();

    private final SamplingContext context = WorkerEvents.context(REQUEST, NOW.plusSeconds(60));
    private final CallOutcome.Answered answered = new CallOutcome.Answered(
            OfflineEchoModel.answer(McpParams.text("What is the capital of France?", 50)), "offline", "offline-echo",
            List.of(), 3);
    private final SamplingCompleted completion = OutcomeEvents.completed(context, answered, NOW);
    private final byte[] decisionHash = EventChain.hash(null, "the decision as written".getBytes(StandardCharsets.UTF_8));

    private MockProducer<String, byte[]> producer;
    private OutcomeWriter writer;

    @AfterEach
    void tearDown() {
        if (writer != null) {
            writer.close();
        }
        scheduler.shutdownNow();
        continuation.shutdownNow();
    }

    @Test
    void givenACompletion_whenWritten_thenItFollowsTheDecisionCarriesOnlyTheChainHeadersAndNothingGoesToResults()
            throws Exception {
        start(true);

        writer.write(REQUEST, decisionHash, completion, Context.root()).get(5, TimeUnit.SECONDS);

        ProducerRecord<String, byte[]> written = single(sentTo(topics.completions().name()));
        assertThat(written.key()).isEqualTo(REQUEST);
        assertThat(completionReader.deserialize(written.topic(), written.value())).isEqualTo(completion);
        assertThat(EventChain.previousOf(written.headers())).isEqualTo(decisionHash);
        assertThat(EventChain.hashOf(written.headers())).isEqualTo(EventChain.hash(decisionHash, written.value()));
        assertThat(headerKeys(written.headers())).as("only the chain headers: no review mark")
                .containsExactly(EventChain.PREVIOUS, EventChain.HASH);
        Await.pause(LONGER_THAN_A_RETRY_PAUSE);
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givenACompletionWhoseAnswerIsRoutedToReview_whenWritten_thenItIsWrittenLikeAnyOtherWithNoReviewMarkAndNothingGoesToResults()
            throws Exception {
        start(false);
        SamplingContext viaReview = SamplingContext.newBuilder(context)
                .setReplyRoute(ReplyRoute.newBuilder(context.getReplyRoute())
                        .setReplyTopic(topics.reviews().name()).build())
                .build();
        SamplingCompleted reviewed = OutcomeEvents.completed(viaReview, answered, NOW);

        CompletableFuture<Void> written = writer.write(REQUEST, decisionHash, reviewed, Context.root());
        Await.until("the completion is sent", () -> producer.history().size() == 1);
        assertThat(written).isNotDone();
        producer.completeNext();
        written.get(5, TimeUnit.SECONDS);

        ProducerRecord<String, byte[]> sent = single(sentTo(topics.completions().name()));
        assertThat(sent.key()).isEqualTo(REQUEST);
        SamplingCompleted read = (SamplingCompleted) completionReader.deserialize(sent.topic(), sent.value());
        assertThat(read).isEqualTo(reviewed);
        assertThat(read.getContext().getReplyRoute().getReplyTopic()).isEqualTo(topics.reviews().name());
        assertThat(headerKeys(sent.headers())).as("only the chain headers: no review mark")
                .containsExactly(EventChain.PREVIOUS, EventChain.HASH);
        assertThat(EventChain.previousOf(sent.headers())).isEqualTo(decisionHash);
        assertThat(EventChain.hashOf(sent.headers())).isEqualTo(EventChain.hash(decisionHash, sent.value()));
        Await.pause(LONGER_THAN_A_RETRY_PAUSE);
        assertThat(sentTo(topics.results().name())).isEmpty();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givenTransientSendFailures_whenWriting_thenTheCompletionIsSentAgainWithTheSameBytesUntilItIsAcknowledged()
            throws Exception {
        start(false);
        String completions = topics.completions().name();

        CompletableFuture<Void> written = writer.write(REQUEST, decisionHash, completion, Context.root());
        Await.until("the completion is sent", () -> producer.history().size() == 1);
        producer.errorNext(new NotEnoughReplicasException("1 in-sync replica of 3"));
        Await.until("the completion is sent again", () -> sentTo(completions).size() == 2);
        producer.errorNext(new TimeoutException("Expiring 1 record(s) after 120000 ms"));
        Await.until("the completion is sent a third time", () -> sentTo(completions).size() == 3);
        assertThat(written).isNotDone();
        producer.completeNext();
        written.get(5, TimeUnit.SECONDS);

        List<ProducerRecord<String, byte[]>> attempts = sentTo(completions);
        assertThat(attempts).extracting(ProducerRecord::value)
                .allSatisfy(value -> assertThat(value).isEqualTo(attempts.get(0).value()));
        assertThat(attempts).extracting(r -> EventChain.hashOf(r.headers()))
                .allSatisfy(hash -> assertThat(hash).isEqualTo(EventChain.hashOf(attempts.get(0).headers())));
        assertThat(completionReader.deserialize(completions, attempts.get(0).value())).isEqualTo(completion);
        assertThat(EventChain.previousOf(attempts.get(0).headers())).isEqualTo(decisionHash);
        Await.pause(LONGER_THAN_A_RETRY_PAUSE);
        assertThat(producer.history()).as("acknowledged: not sent again").hasSize(3);
        assertThat(sentTo(topics.results().name())).isEmpty();
    }

    @Test
    void givenTheRegistryUnreachableOnce_whenTheCompletionIsSerialized_thenItIsRetriedAndWrittenOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Serializer<SpecificRecord> registryDownOnce = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, SpecificRecord data) {
                return completionSerializer.serialize(topic, data);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, SpecificRecord data) {
                if (calls.incrementAndGet() == 1) {
                    throw new SchemaRegistryUnavailableException("registry unreachable", null);
                }
                return completionSerializer.serialize(topic, headers, data);
            }
        };
        producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        writer = new OutcomeWriter(producer, topics, registryDownOnce, scheduler, continuation, new DeadLetterMeter(metrics));

        writer.write(REQUEST, decisionHash, completion, Context.root()).get(5, TimeUnit.SECONDS);

        assertThat(calls).hasValue(2);
        ProducerRecord<String, byte[]> written = single(sentTo(topics.completions().name()));
        assertThat(completionReader.deserialize(written.topic(), written.value())).isEqualTo(completion);
        assertThat(EventChain.hashOf(written.headers())).isEqualTo(EventChain.hash(decisionHash, written.value()));
    }

    @Test
    void givenAPermanentRefusal_whenWriting_thenTheWriteFailsAndIsNotRetried() {
        start(false);

        CompletableFuture<Void> written = writer.write(REQUEST, decisionHash, completion, Context.root());
        Await.until("the completion is sent", () -> producer.history().size() == 1);
        producer.errorNext(new TopicAuthorizationException(Set.of(topics.completions().name())));

        assertThatThrownBy(() -> written.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        Await.pause(LONGER_THAN_A_RETRY_PAUSE);
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givenTheWriterClosed_whenASendFailsTransiently_thenItIsNotRetriedAndLaterWritesFailAtOnce() {
        start(false);

        CompletableFuture<Void> written = writer.write(REQUEST, decisionHash, completion, Context.root());
        Await.until("the completion is sent", () -> producer.history().size() == 1);
        writer.close();
        producer.errorNext(new TimeoutException("Expiring 1 record(s)"));

        assertThatThrownBy(() -> written.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        CompletableFuture<Void> later = writer.write("req-8", decisionHash, completion, Context.root());
        assertThatThrownBy(() -> later.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        Await.pause(LONGER_THAN_A_RETRY_PAUSE);
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givenAnUnreadableRecord_whenDeadLettered_thenKeyValueAndHeadersAreCopiedAndWhereAndWhyAreAdded()
            throws Exception {
        start(true);
        byte[] raw = {0x00, 0x00, 0x00, 0x00, 0x2a, (byte) 0xff, 0x13};
        RecordHeaders original = new RecordHeaders();
        original.add(EventChain.HASH, new byte[] {1, 2, 3});
        original.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topics.decisions().name(), 3, 42L,
                NOW.toEpochMilli(), TimestampType.CREATE_TIME, -1, raw.length, "req-9", raw, original, Optional.empty());

        writer.deadLetter(record, "Malformed data. Length is negative: -10",
                new AvroRuntimeException("Malformed data. Length is negative: -10")).get(5, TimeUnit.SECONDS);

        ProducerRecord<String, byte[]> dead = single(sentTo(topics.deadLetters().name()));
        assertThat(producer.history()).hasSize(1);
        assertThat(metrics.registry().get("sampling.dead.letters").tags("topic", topics.decisions().name(), "reason",
                "undecodable").counter().count()).isEqualTo(1.0);
        assertThat(dead.key()).isEqualTo("req-9");
        assertThat(dead.value()).isEqualTo(raw);
        assertThat(headerList(dead.headers())).containsExactly(
                Map.entry(EventChain.HASH, "\u0001\u0002\u0003"),
                Map.entry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                Map.entry(DeadLetters.SOURCE_TOPIC, topics.decisions().name()),
                Map.entry(DeadLetters.SOURCE_PARTITION, "3"),
                Map.entry(DeadLetters.SOURCE_OFFSET, "42"),
                Map.entry(DeadLetters.SERVICE, "model-worker"),
                Map.entry(DeadLetters.REASON, "Malformed data. Length is negative: -10"));
    }

    private void start(boolean autoComplete) {
        producer = new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
        writer = new OutcomeWriter(producer, topics, completionSerializer, scheduler, continuation, new DeadLetterMeter(metrics));
    }

    private List<ProducerRecord<String, byte[]>> sentTo(String topic) {
        return producer.history().stream().filter(record -> record.topic().equals(topic)).toList();
    }

    private static <T> T single(List<T> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static List<String> headerKeys(Headers headers) {
        return java.util.stream.StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
    }

    private static List<Map.Entry<String, String>> headerList(Headers headers) {
        return java.util.stream.StreamSupport.stream(headers.spliterator(), false)
                .map((Header h) -> Map.entry(h.key(), new String(h.value(), StandardCharsets.UTF_8))).toList();
    }
}
