package io.samplingbroker.modelworker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionLedgerTest {

    private static final TopicPartition P0 = new TopicPartition("sampling.decisions", 0);
    private static final TopicPartition P1 = new TopicPartition("sampling.decisions", 1);
    private final PartitionLedger ledger = new PartitionLedger();

    @Test
    void givenRecordsFinishedOutOfOrder_whenCommitting_thenTheOffsetStopsAtTheLowestUnfinishedRecord() {
        ledger.track(P0, 10);
        ledger.track(P0, 11);
        ledger.track(P0, 12);
        ledger.finish(P0, 11);
        ledger.finish(P0, 12);

        assertThat(ledger.toCommit(null)).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));

        ledger.finish(P0, 10);

        assertThat(ledger.toCommit(null)).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
    }

    @Test
    void givenACommitAccepted_whenNothingMoved_thenNothingIsCommittedAgain() {
        ledger.track(P0, 5);
        ledger.finish(P0, 5);
        ledger.committed(ledger.toCommit(null));

        assertThat(ledger.toCommit(null)).isEmpty();
    }

    @Test
    void givenSeveralPartitions_whenCommittingSome_thenOnlyThoseAreIncluded() {
        ledger.track(P0, 1);
        ledger.finish(P0, 1);
        ledger.track(P1, 7);
        ledger.finish(P1, 7);

        assertThat(ledger.toCommit(List.of(P1))).isEqualTo(Map.of(P1, new OffsetAndMetadata(8)));
    }

    @Test
    void givenAForgottenPartition_whenItsLateResultsArrive_thenTheyAreIgnored() {
        ledger.track(P0, 3);
        ledger.forget(P0);
        ledger.finish(P0, 3);

        assertThat(ledger.toCommit(null)).isEmpty();
        assertThat(ledger.openRecords(P0)).isZero();
    }
}
