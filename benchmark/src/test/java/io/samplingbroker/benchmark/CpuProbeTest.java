package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class CpuProbeTest {

    @Test
    void givenTheStacksThreadNames_whenClassified_thenEachLandsInItsComponentAndKafkaClientsByTheirClientId() {
        assertThat(CpuProbe.componentOf("vert.x-eventloop-thread-1")).isEqualTo(CpuProbe.EVENT_LOOPS);
        assertThat(CpuProbe.componentOf("approval-worker-review-StreamThread-1")).isEqualTo(CpuProbe.APPROVAL);
        assertThat(CpuProbe.componentOf("kafka-producer-network-thread | approval-worker-decision-StreamThread-1-producer"))
                .isEqualTo(CpuProbe.APPROVAL);
        assertThat(CpuProbe.componentOf("model-worker-poll")).isEqualTo(CpuProbe.MODELS);
        assertThat(CpuProbe.componentOf("kafka-producer-network-thread | model-worker-outcomes"))
                .isEqualTo(CpuProbe.MODELS);
        assertThat(CpuProbe.componentOf("sampling-answer-router")).isEqualTo(CpuProbe.GATEWAY_KAFKA);
        assertThat(CpuProbe.componentOf("kafka-producer-network-thread | broker-events")).isEqualTo(CpuProbe.GATEWAY_KAFKA);
        assertThat(CpuProbe.componentOf("data-plane-kafka-request-handler-3")).isEqualTo(CpuProbe.KAFKA);
        assertThat(CpuProbe.componentOf("kafka-1-raft-io-thread")).isEqualTo(CpuProbe.KAFKA);
        assertThat(CpuProbe.componentOf("kafka-producer-network-thread | producer-2")).isEqualTo(CpuProbe.FLOOR);
        assertThat(CpuProbe.componentOf("floor-relay-ab")).isEqualTo(CpuProbe.FLOOR);
        assertThat(CpuProbe.componentOf("main")).isEqualTo(CpuProbe.LOAD);
        assertThat(CpuProbe.componentOf("C2 CompilerThread0")).isEqualTo(CpuProbe.OTHER);
    }

    @Test
    void givenTwoSnapshots_whenSubtracted_thenEachComponentsSpendIsPerRequestInMilliseconds() {
        CpuProbe.Snapshot before = new CpuProbe.Snapshot(Map.of(CpuProbe.KAFKA, 1_000_000L), 5_000_000L);
        CpuProbe.Snapshot after = new CpuProbe.Snapshot(Map.of(CpuProbe.KAFKA, 3_000_000L,
                CpuProbe.APPROVAL, 4_000_000L), 15_000_000L);

        CpuProbe.Snapshot spent = after.since(before);

        assertThat(spent.byComponent()).containsEntry(CpuProbe.KAFKA, 2_000_000L).containsEntry(CpuProbe.APPROVAL,
                4_000_000L);
        assertThat(spent.perRequest("broker 1000", 4)).startsWith("| broker 1000 | 4 | 2.500 |")
                .contains("| 0.500 |").contains("| 1.000 |");
    }

    @Test
    void givenThisJvm_whenSnapshotTwiceAroundWork_thenTheMainThreadSpentSomething() {
        CpuProbe probe = new CpuProbe();
        CpuProbe.Snapshot before = probe.snapshot();
        long sum = 0;
        for (int i = 0; i < 20_000_000; i++) {
            sum += i % 7;
        }
        CpuProbe.Snapshot spent = probe.snapshot().since(before);

        assertThat(sum).isPositive();
        assertThat(spent.processNanos()).isPositive();
        assertThat(spent.byComponent().values().stream().mapToLong(Long::longValue).sum()).isPositive();
    }
}
