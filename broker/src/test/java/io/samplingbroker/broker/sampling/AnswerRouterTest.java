package io.samplingbroker.broker.sampling;

import static io.samplingbroker.broker.sampling.MockKafka.completionRecord;
import static io.samplingbroker.broker.sampling.MockKafka.resultRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.service.FailureSignal;

class AnswerRouterTest {

    private static final String INSTANCE = "broker-a";

    private final SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults().withPrefix("unit."));
    private final String resultsTopic = topics.results().name();
    private final MockConsumer<String, SpecificRecord> consumer = MockKafka.answersConsumer(topics);
    private final List<String> routed = new ArrayList<>();
    private final List<RecordDeserializationException> setAside = new ArrayList<>();
    private final FailureSignal failures = new FailureSignal("broker-a");

    @Test
    void givenResultsWrittenBeforeTheRouterStarted_whenPolled_thenOnlyLaterResultsAreRouted() {
        // Given partition 0 already holds results up to offset 5 when the router takes its end offsets
        consumer.updateEndOffsets(Map.of(new TopicPartition(resultsTopic, 0), 5L));
        AnswerRouter router = router();
        consumer.addRecord(resultRecord(topics, 0, 4, result("before-start"), new byte[] {1}));
        consumer.addRecord(resultRecord(topics, 0, 5, result("after-start"), new byte[] {2}));

        // When
        router.pollOnce(Duration.ZERO);

        // Then
        assertThat(routed).containsExactly("after-start");
    }

    @Test
    void givenAnUndecodableResult_whenPolled_thenItIsSetAsideAndTheNextResultIsRouted() {
        // Given the record at offset 0 cannot be deserialized
        AnswerRouter router = router();
        consumer.addRecord(resultRecord(topics, 1, 0, result("undecodable"), new byte[] {1}));
        consumer.addRecord(resultRecord(topics, 1, 1, result("fine"), new byte[] {2}));
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, new TopicPartition(resultsTopic, 1),
                0, 0, TimestampType.CREATE_TIME, null, null, new RecordHeaders(), "unknown schema id 99", null));

        // When
        router.pollOnce(Duration.ZERO);
        router.pollOnce(Duration.ZERO);

        // Then
        assertThat(routed).containsExactly("fine");
        assertThat(setAside).hasSize(1);
        assertThat(setAside.get(0).offset()).isZero();
        assertThat(setAside.get(0).topicPartition()).isEqualTo(new TopicPartition(resultsTopic, 1));
    }

    @Test
    void givenTheRegistryDown_whenAResultCannotBeDecoded_thenItIsReadAgainNotSetAside() {
        // Given the record at offset 0 cannot be decoded because the registry does not answer
        AnswerRouter router = router();
        consumer.addRecord(resultRecord(topics, 1, 0, result("later"), new byte[] {1}));
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, new TopicPartition(resultsTopic, 1),
                0, 0, TimestampType.CREATE_TIME, null, null, new RecordHeaders(), "registry down",
                new SchemaRegistryUnavailableException("http://registry: connection refused", null)));

        // When
        router.pollOnce(Duration.ZERO);
        router.pollOnce(Duration.ZERO);

        // Then the same record is read again once it can be
        assertThat(setAside).isEmpty();
        assertThat(routed).containsExactly("later");
    }

    @Test
    void givenARunningRouter_whenItsConsumerBreaks_thenTheFailureSignalSaysSo() throws Exception {
        // Given
        AnswerRouter router = router();
        consumer.setPollException(new org.apache.kafka.common.KafkaException("fenced"));
        // When
        router.start();
        // Then
        assertThat(failures.failed().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS).part())
                .isEqualTo("the answer reader");
        router.close();
    }

    @Test
    void givenAResultsTopicWithoutPartitions_whenTheRouterIsCreated_thenItFailsNamingTheTopic() {
        consumer.updatePartitions(resultsTopic, List.of());

        assertThatThrownBy(this::router).isInstanceOf(IllegalStateException.class)
                .hasMessage("Results topic unit.results has no partitions");
    }

    @Test
    void givenACompletionsTopicWithoutPartitions_whenTheRouterIsCreated_thenItFailsNamingTheTopic() {
        consumer.updatePartitions(topics.completions().name(), List.of());

        assertThatThrownBy(this::router).isInstanceOf(IllegalStateException.class)
                .hasMessage("Completions topic unit.completions has no partitions");
    }

    @Test
    void givenOutcomesOfTheModel_whenPolled_thenThoseRoutedToThisInstanceAreRoutedButNotThoseWaitingForReview() {
        // Given
        AnswerRouter router = router();
        consumer.addRecord(completionRecord(topics, 0, 0, completed(context("direct", INSTANCE)), new byte[] {1}));
        consumer.addRecord(completionRecord(topics, 0, 1,
                completed(ReplyRoutes.viaReview(context("held-for-a-reviewer", INSTANCE), topics)), new byte[] {2}));
        consumer.addRecord(completionRecord(topics, 1, 0, completed(context("for-broker-b", "broker-b")), new byte[] {3}));
        consumer.addRecord(completionRecord(topics, 1, 1, failed(context("failed", INSTANCE)), new byte[] {4}));
        consumer.addRecord(resultRecord(topics, 0, 0, result("reviewed"), new byte[] {5}));

        // When
        router.pollOnce(Duration.ZERO);

        // Then
        assertThat(routed).containsExactlyInAnyOrder("direct", "failed", "reviewed");
    }

    private AnswerRouter router() {
        return new AnswerRouter(consumer, topics, INSTANCE, (answer, hash) -> routed.add(EventContexts.of(answer)
                .getRequestId()), (failure, reason) -> setAside.add(failure), failures);
    }

    private static SamplingContext context(String requestId, String instance) {
        return SamplingContext.newBuilder().setRequestId(requestId).setTraceId("0".repeat(32))
                .setHostId("h").setServerName("s").setSessionId("session").setJsonRpcId("1")
                .setRequestedAt(Instant.EPOCH).setDeadline(Instant.EPOCH.plusSeconds(45))
                .setReplyRoute(new ReplyRoute(instance, "unit.results", null)).build();
    }

    private static SamplingCompleted completed(SamplingContext context) {
        CreateMessageResult result = new CreateMessageResult(Role.assistant, List.of(new TextContent("hi", null, null,
                null)), ContentShape.SINGLE, "unit-model", "endTurn", null, null);
        return SamplingCompleted.newBuilder().setContext(context).setOccurredAt(Instant.EPOCH)
                .setCreateMessageResult(result).setProvider("offline").setUsage(new TokenUsage(1L, 1L, null))
                .setLatencyMillis(1L).setAttempts(1).build();
    }

    private static SamplingFailed failed(SamplingContext context) {
        return SamplingFailed.newBuilder().setContext(context).setOccurredAt(Instant.EPOCH).setStage("model-worker")
                .setErrorCode("PROVIDER_UNAVAILABLE").setMessage("503").setRetryable(true).setAttempts(1).build();
    }

    private static SamplingResolved result(String requestId) {
        SamplingContext context = context(requestId, INSTANCE);
        return SamplingResolved.newBuilder().setContext(context).setOccurredAt(Instant.EPOCH)
                .setError(new JsonRpcError(-1, "User rejected sampling request", null)).setResolvedBy("unit-test").build();
    }
}
