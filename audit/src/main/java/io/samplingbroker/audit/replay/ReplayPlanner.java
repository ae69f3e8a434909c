package io.samplingbroker.audit.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides what to read: for each topic-partition, from the log start (or the first offset at or after
 * {@code --from}, by {@code offsetsForTimes}) to the end offset at this moment, so a replay of a live cluster ends.
 */
final class ReplayPlanner {

    private final Consumer<String, byte[]> consumer;
    private final Duration timeout;
    private final String bootstrapServers;

    ReplayPlanner(Consumer<String, byte[]> consumer, Duration timeout, String bootstrapServers) {
        this.consumer = consumer;
        this.timeout = timeout;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * @param topicsByRole the topics to read, by role, in the order that breaks timestamp ties
     * @param optionalRoles roles whose topic may be missing (older deployments)
     */
    List<PartitionRange> plan(Map<String, String> topicsByRole, List<String> optionalRoles, Instant from) {
        Map<String, List<PartitionInfo>> existing = listTopics();
        List<PartitionRange> ranges = new ArrayList<>();
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, String> roles = new HashMap<>();
        topicsByRole.forEach((role, topic) -> {
            List<PartitionInfo> infos = existing.get(topic);
            if (infos == null) {
                if (!optionalRoles.contains(role)) {
                    throw new AuditUnavailableException("Topic '" + topic + "' does not exist on " + bootstrapServers
                            + " (is the topic prefix right? --topic-prefix or topics.prefix)");
                }
                return;
            }
            for (PartitionInfo info : infos) {
                TopicPartition tp = new TopicPartition(topic, info.partition());
                partitions.add(tp);
                roles.put(tp, role);
            }
        });
        Map<TopicPartition, Long> beginnings;
        Map<TopicPartition, Long> ends;
        Map<TopicPartition, OffsetAndTimestamp> atFrom = Map.of();
        try {
            beginnings = consumer.beginningOffsets(partitions, timeout);
            ends = consumer.endOffsets(partitions, timeout);
            if (from != null) {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
                atFrom = consumer.offsetsForTimes(query, timeout);
            }
        } catch (KafkaException e) {
            throw new AuditUnavailableException("Cannot read offsets from Kafka at " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
        for (TopicPartition tp : partitions) {
            long logStart = beginnings.get(tp);
            long end = ends.get(tp);
            long start = logStart;
            if (from != null) {
                OffsetAndTimestamp found = atFrom.get(tp);
                start = found == null ? end : Math.max(logStart, found.offset()); // null: nothing at or after --from
            }
            ranges.add(new PartitionRange(roles.get(tp), tp.topic(), tp.partition(), logStart, start, end));
        }
        return ranges;
    }

    private Map<String, List<PartitionInfo>> listTopics() {
        try {
            return consumer.listTopics(timeout);
        } catch (KafkaException e) {
            throw new AuditUnavailableException("Cannot reach Kafka at " + bootstrapServers + " within "
                    + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
    }
}
