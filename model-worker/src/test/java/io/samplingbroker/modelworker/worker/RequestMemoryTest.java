package io.samplingbroker.modelworker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.samplingbroker.modelworker.worker.RequestMemory.Known;

class RequestMemoryTest {

    private static final Instant DEADLINE = Instant.parse("2026-11-24T10:16:00Z");
    private final RequestMemory memory = new RequestMemory();

    @Test
    void givenAStartedRequest_whenItsOutcomeIsRecordedOrItIsStopped_thenTheStrongerFactWins() {
        memory.remember("a", Known.STARTED, DEADLINE);
        memory.remember("a", Known.RECORDED, DEADLINE);
        memory.remember("a", Known.STARTED, DEADLINE);

        assertThat(memory.known("a")).isEqualTo(Known.RECORDED);
    }

    @Test
    void givenARequestGivenUpAtHandOver_whenForgotten_thenADecisionForItWillBeActedOnAgain() {
        memory.remember("a", Known.STARTED, DEADLINE);
        memory.remember("b", Known.STOPPED, DEADLINE);

        memory.forgetStarted("a");
        memory.forgetStarted("b");

        assertThat(memory.known("a")).isNull();
        assertThat(memory.known("b")).isEqualTo(Known.STOPPED);
    }

    @Test
    void givenEntriesPastTheirDeadlineAndGrace_whenPruned_thenOnlyLiveOnesRemain() {
        memory.remember("old", Known.RECORDED, DEADLINE);
        memory.remember("live", Known.RECORDED, DEADLINE.plusSeconds(600));

        memory.forgetExpired(DEADLINE.plus(RequestMemory.GRACE).plusSeconds(1));

        assertThat(memory.known("old")).isNull();
        assertThat(memory.known("live")).isEqualTo(Known.RECORDED);
        assertThat(memory.size()).isEqualTo(1);
    }
}
