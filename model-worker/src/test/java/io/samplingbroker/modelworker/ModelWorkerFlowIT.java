package io.samplingbroker.modelworker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.modelworker.catalogue.CatalogueModel;
import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.catalogue.Ratings;
import io.samplingbroker.modelworker.testing.SamplingKafka;
import io.samplingbroker.modelworker.testing.WorkerEvents;
import io.samplingbroker.testsupport.ChatCompletionsServer;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/** Flow control and hand-over between workers, on real Kafka with a slow local provider. */
@ExtendWith(KafkaStackExtension.class)
class ModelWorkerFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SLOW = Duration.ofMillis(1500);

    @Test
    void givenMoreDecisionsThanMaxInFlight_whenTheProviderIsSlow_thenAtMostMaxInFlightCallsRunAndAllAreAnswered(
            KafkaStack stack) throws Exception {
        try (ChatCompletionsServer server = slowServer(); SamplingKafka kafka = new SamplingKafka(stack)) {
            ModelWorkerConfig config = config(kafka, server).withMaxInFlight(2);
            try (ModelWorker worker = ModelWorker.start(config)) {
                List<String> ids = publish(kafka, "bounded", 5);

                for (String id : ids) {
                    kafka.awaitCompletion(id, WAIT);
                }

                assertThat(server.maxConcurrentRequests()).isEqualTo(2);
                assertThat(server.requestCount()).isEqualTo(5);
                assertThat(worker.isRunning()).isTrue();
            }
        }
    }

    @Test
    void givenASecondWorkerJoiningWhileCallsRun_whenPartitionsMove_thenEveryRequestIsSentAndAnsweredOnce(
            KafkaStack stack) throws Exception {
        try (ChatCompletionsServer server = slowServer(); SamplingKafka kafka = new SamplingKafka(stack)) {
            ModelWorkerConfig config = config(kafka, server);
            try (ModelWorker first = ModelWorker.start(config)) {
                List<String> ids = new ArrayList<>(publish(kafka, "before", 6));
                long start = System.nanoTime();
                while (server.requestCount() < 6 && System.nanoTime() - start < WAIT.toNanos()) {
                    Thread.sleep(20);
                }

                try (ModelWorker second = ModelWorker.start(config)) {
                    awaitMembersWithPartitions(stack, config.groupId(), 2);
                    ids.addAll(publish(kafka, "after", 6));
                    for (String id : ids) {
                        kafka.awaitCompletion(id, WAIT);
                    }
                    kafka.readFor(Duration.ofSeconds(1));

                    assertThat(server.requestCount()).isEqualTo(12);
                    for (String id : ids) {
                        assertThat(kafka.completionsOf(id)).as("completions of %s", id).hasSize(1);
                    }
                    assertThat(kafka.results()).as("the workers write nothing to results").isEmpty();
                    assertThat(first.isRunning()).isTrue();
                    assertThat(second.isRunning()).isTrue();
                }
            }
        }
    }

    /** Waits until the group has settled with this many members, each owning partitions. */
    private static void awaitMembersWithPartitions(KafkaStack stack, String groupId, int members) throws Exception {
        try (Admin admin = Admin.create(stack.clientConfig())) {
            long start = System.nanoTime();
            while (true) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
                long owning = group.members().stream()
                        .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                if (owning == members && group.groupState() == GroupState.STABLE) {
                    return;
                }
                assertThat(System.nanoTime() - start).as("group %s settles with %d members", groupId, members)
                        .isLessThan(WAIT.toNanos());
                Thread.sleep(50);
            }
        }
    }

    private static List<String> publish(SamplingKafka kafka, String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            kafka.decide(WorkerEvents.approved(id, "question " + i));
            ids.add(id);
        }
        return ids;
    }

    private static ChatCompletionsServer slowServer() {
        return ChatCompletionsServer.start().replyByDefault(
                ChatCompletionsServer.completion("gpt-4o-mini", "slow answer", "stop").after(SLOW));
    }

    private static ModelWorkerConfig config(SamplingKafka kafka, ChatCompletionsServer server) {
        ModelCatalogue catalogue = ModelCatalogue.offlineOnly()
                .with(ProviderSettings.openAiCompatible("local", server.baseUrl(), null).withMaxRetries(0),
                        new CatalogueModel("gpt-4o-mini", "local", null, new Ratings(0.9, 0.8, 0.6)))
                .withDefaultModel("gpt-4o-mini");
        return ModelWorkerConfig.defaults(kafka.settings())
                .withCatalogue(catalogue)
                .withGroupId(KafkaStack.uniqueName("model-worker"))
                .withDrainTimeout(Duration.ofSeconds(10));
    }
}
