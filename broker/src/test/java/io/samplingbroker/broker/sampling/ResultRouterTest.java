package io.samplingbroker.broker.sampling;

import static io.samplingbroker.broker.sampling.MockKafka.resultRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.ReplyRoute;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.serviceruntime.service.FailureSignal;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicsConfig;

class ResultRouterTest {

    private static final String INSTANCE = "broker-a";

    private final SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults().withPrefix("unit."));
    private final String resultsTopic = topics.results().name();
    private final MockConsumer<String, SamplingResolved> consumer = MockKafka.resultsConsumer(topics);
    private final List<String> routed = new ArrayList<>();
    private final List<RecordDeserializationException> setAside = new ArrayList<>();
    private final FailureSignal failures = new FailureSignal("broker-a");

    @Test
    void givenResultsWrittenBeforeTheRouterStarted_whenPolled_thenOnlyLaterResultsAreRouted() {
        // Given partition 0 already holds results up to offset 5 when the router takes its end offsets
        consumer.updateEndOffsets(Map.of(new TopicPartition(resultsTopic, 0), 5L));
        ResultRouter router = router();
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
        ResultRouter router = router();
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
        ResultRouter router = router();
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
        ResultRouter router = router();
        consumer.setPollException(new org.apache.kafka.common.KafkaException("fenced"));
        // When
        router.start();
        // Then
        assertThat(failures.failed().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS).part())
                .isEqualTo("the result reader");
        router.close();
    }

    @Test
    void givenAResultsTopicWithoutPartitions_whenTheRouterIsCreated_thenItFailsNamingTheTopic() {
        consumer.updatePartitions(resultsTopic, List.of());

        assertThatThrownBy(this::router).isInstanceOf(IllegalStateException.class)
                .hasMessage("Results topic unit.results has no partitions");
    }

    private ResultRouter router() {
        return new ResultRouter(consumer, resultsTopic, INSTANCE, (result, hash) -> routed.add(result.getContext()
                .getRequestId()), (failure, reason) -> setAside.add(failure), failures);
    }

    private static SamplingResolved result(String requestId) {
        SamplingContext context = SamplingContext.newBuilder().setRequestId(requestId).setTraceId("0".repeat(32))
                .setHostId("h").setServerName("s").setSessionId("session").setJsonRpcId("1")
                .setRequestedAt(Instant.EPOCH).setDeadline(Instant.EPOCH.plusSeconds(45))
                .setReplyRoute(new ReplyRoute(INSTANCE, null, null)).build();
        return SamplingResolved.newBuilder().setContext(context).setOccurredAt(Instant.EPOCH)
                .setError(new JsonRpcError(-1, "User rejected sampling request", null)).setResolvedBy("unit-test").build();
    }
}
