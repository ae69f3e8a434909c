package io.samplingbroker.audit.replay;

import org.apache.kafka.common.TopicPartition;

/**
 * What the replay reads of one topic-partition.
 *
 * @param role the topic's role ({@code requests}, ...)
 * @param topic the topic's name
 * @param partition the partition number
 * @param logStart the first offset still in the log (above 0 when records were deleted)
 * @param start the first offset read ({@code logStart}, or the first at or after {@code --from})
 * @param end the end offset when the replay started; reading stops there
 */
public record PartitionRange(String role, String topic, int partition, long logStart, long start, long end) {

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    public long records() {
        return Math.max(0, end - start);
    }
}
