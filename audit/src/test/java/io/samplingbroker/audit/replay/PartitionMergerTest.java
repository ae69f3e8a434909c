package io.samplingbroker.audit.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class PartitionMergerTest {

    private static ConsumerRecord<String, byte[]> record(String topic, long offset, long timestamp) {
        return new ConsumerRecord<>(topic, 0, offset, timestamp, TimestampType.CREATE_TIME, 1, 1, "k",
                (topic + "@" + offset).getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty());
    }

    @Test
    void givenTwoTopicsOfOnePartitionNumber_whenMerged_thenRecordsComeInTimestampOrderAndStopAtTheEndOffsets() {
        // Given requests and lifecycle partition 0; lifecycle has one record beyond the end offset taken at start
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        PartitionRange requests = new PartitionRange("requests", "requests", 0, 0, 0, 3);
        PartitionRange lifecycle = new PartitionRange("lifecycle", "lifecycle", 0, 0, 1, 3);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record("requests", 0, 100));
            consumer.addRecord(record("requests", 1, 300));
            consumer.addRecord(record("requests", 2, 500));
            consumer.addRecord(record("lifecycle", 1, 200));
            consumer.addRecord(record("lifecycle", 2, 300));
            consumer.addRecord(record("lifecycle", 3, 400));
        });
        List<String> seen = new ArrayList<>();
        // When
        new PartitionMerger(consumer, List.of(requests, lifecycle), Duration.ofSeconds(5))
                .run(raw -> seen.add(new String(raw.record().value(), StandardCharsets.UTF_8)));
        // Then: by time, ties to the earlier role, lifecycle from its start offset 1 and not past offset 2
        assertThat(seen).containsExactly("requests@0", "lifecycle@1", "requests@1", "lifecycle@2", "requests@2");
    }

    @Test
    void givenMoreRecordsThanTheBuffer_whenMerged_thenAllArriveInOrder() {
        // Given one topic far ahead in time of the other: its buffer fills and it is paused meanwhile
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        int n = PartitionMerger.BUFFER * 3;
        PartitionRange early = new PartitionRange("requests", "a", 0, 0, 0, n);
        PartitionRange late = new PartitionRange("lifecycle", "b", 0, 0, 0, n);
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < n; i++) {
                consumer.addRecord(record("a", i, i));
                consumer.addRecord(record("b", i, n + i));
            }
        });
        for (int i = 0; i < 20; i++) {
            consumer.schedulePollTask(() -> { });
        }
        List<Long> timestamps = new ArrayList<>();
        // When
        new PartitionMerger(consumer, List.of(early, late), Duration.ofSeconds(5))
                .run(raw -> timestamps.add(raw.record().timestamp()));
        // Then
        assertThat(timestamps).hasSize(2 * n).isSorted();
    }
}
