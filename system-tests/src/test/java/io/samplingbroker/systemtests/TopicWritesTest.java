package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.systemtests.TopicWriteRecorder.Write;

class TopicWritesTest {

    private final TopicWrites writes = new TopicWrites("e2e-1.", List.of("approval-7", "approval-7-review"));

    @Test
    void givenEveryServiceWritingItsOwnTopics_whenChecked_thenNothingIsReported() {
        // Given
        List<Write> recorded = List.of(new Write("broker-events", "e2e-1.requests"),
                new Write("approval-worker-decision-StreamThread-1-producer", "e2e-1.decisions"),
                new Write("approval-worker-decision-StreamThread-1-producer", "approval-7-decide-by-limit-scope-repartition"),
                new Write("model-worker-outcomes", "e2e-1.completions"),
                new Write("review-console-commands", "e2e-1.review-commands"),
                new Write("broker-events", "other-stack.decisions"));
        // Then
        assertThat(writes.violations(recorded)).isEmpty();
        assertThat(writes.of(recorded)).containsExactly("broker -> requests", "approval-worker -> decisions",
                "approval-worker -> internal", "model-worker -> completions", "review-console -> review-commands");
    }

    @Test
    void givenAServiceWritingATopicTheTableDoesNotGiveIt_whenChecked_thenTheWriteIsNamed() {
        // Given: the model-worker writing a decision, a console writing results, an unknown client
        List<Write> recorded = List.of(new Write("model-worker-outcomes", "e2e-1.decisions"),
                new Write("review-console-commands", "e2e-1.results"), new Write("producer-3", "e2e-1.requests"),
                new Write("broker-events", "approval-7-decide-by-limit-scope-repartition"));
        // Then
        assertThat(writes.violations(recorded)).containsExactly(
                "model-worker-outcomes (model-worker) wrote e2e-1.decisions, which the writers table does not give it",
                "review-console-commands (review-console) wrote e2e-1.results, which the writers table does not give it",
                "producer-3 (no known service) wrote e2e-1.requests, which the writers table does not give it",
                "broker-events (broker) wrote approval-7-decide-by-limit-scope-repartition, which the writers table does not give it");
    }
}
