package io.samplingbroker.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What one sampling request costs Kafka: the records and bytes on disk of every topic of a run (the catalogue's and
 * Kafka Streams' own changelogs, all under the run's prefix), per request written to the requests topic. Read once
 * the run is over; a compacted topic's size is what it held then.
 */
public final class KafkaVolume {

    /** One topic's records and log bytes (leader replica, segments as written). */
    public record TopicVolume(String topic, long records, long bytes) {
    }

    private KafkaVolume() {
    }

    public static List<TopicVolume> read(String bootstrapServers, String prefix)
            throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            topics.values().forEach(topic -> topic.partitions().forEach(partition ->
                    partitions.add(new TopicPartition(topic.name(), partition.partition()))));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = admin.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest())))
                    .all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = admin.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS);
            Map<String, Long> records = new TreeMap<>();
            partitions.forEach(p -> records.merge(p.topic(), latest.get(p).offset() - earliest.get(p).offset(),
                    Long::sum));
            Map<String, Long> bytes = new TreeMap<>();
            Set<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .map(node -> node.id()).collect(Collectors.toSet());
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                    .get(30, TimeUnit.SECONDS).values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        if (names.contains(replica.getKey().topic())) {
                            bytes.merge(replica.getKey().topic(), replica.getValue().size(), Long::sum);
                        }
                    }
                }
            }
            List<TopicVolume> volumes = new ArrayList<>();
            records.forEach((topic, count) -> volumes.add(new TopicVolume(topic.substring(prefix.length()), count,
                    bytes.getOrDefault(topic, 0L))));
            return volumes;
        }
    }

    /**
     * A Markdown table of every topic's records and bytes per request, {@code requests} being the records of the
     * requests topic, and the totals.
     */
    public static String table(List<TopicVolume> volumes, String requestsTopic) {
        long requests = volumes.stream().filter(v -> v.topic().equals(requestsTopic)).mapToLong(TopicVolume::records)
                .findFirst().orElse(0);
        StringBuilder table = new StringBuilder("| topic (run prefix left off) | records | MiB | records per request"
                + " | bytes per request |\n|---|---:|---:|---:|---:|\n");
        long allRecords = 0;
        long allBytes = 0;
        for (TopicVolume volume : volumes) {
            allRecords += volume.records();
            allBytes += volume.bytes();
            table.append(row(volume.topic(), volume.records(), volume.bytes(), requests));
        }
        return table.append(row("**all**", allRecords, allBytes, requests)).toString();
    }

    private static String row(String topic, long records, long bytes, long requests) {
        return String.format("| %s | %,d | %.1f | %s | %s |%n", topic, records, bytes / (1024.0 * 1024.0),
                requests == 0 ? "n/a" : String.format("%.2f", (double) records / requests),
                requests == 0 ? "n/a" : String.format("%,.0f", (double) bytes / requests));
    }
}
