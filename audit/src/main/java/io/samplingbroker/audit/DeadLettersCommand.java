package io.samplingbroker.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.audit.replay.AuditUnavailableException;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.DeadLetters;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * The records the services set aside: where each came from, which service set it aside and why, and its size (never
 * its bytes, which may be a prompt). In the order they were set aside; {@code --from} and {@code --to} select by that
 * time.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "Lists the records the services could not process: source topic, partition and offset, the"
                + " service that set each aside, the reason, the record's key and size.")
public final class DeadLettersCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);

    @ParentCommand
    AuditMain main;

    @Mixin
    CommonOptions options;

    /** One record set aside, as listed. */
    record DeadLetter(Instant at, String sourceTopic, String sourcePartition, String sourceOffset, String service,
            String reason, String key, int bytes) {
    }

    @Override
    public Integer call() {
        KafkaSettings kafka = options.kafkaSettings(main.environment);
        List<DeadLetter> letters = read(kafka, kafka.samplingTopics().deadLetters().name());
        for (DeadLetter letter : letters) {
            if (options.format == CommonOptions.Format.jsonl) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("at", letter.at().toString());
                line.put("sourceTopic", letter.sourceTopic());
                line.put("sourcePartition", letter.sourcePartition());
                line.put("sourceOffset", letter.sourceOffset());
                line.put("service", letter.service());
                line.put("reason", letter.reason());
                line.put("key", letter.key());
                line.put("bytes", letter.bytes());
                main.out.println(JSON.valueToTree(line).toString());
            } else {
                main.out.printf("%s  %s[%s]@%s  %s  %s  key=%s  %d bytes%n", letter.at(), letter.sourceTopic(),
                        letter.sourcePartition(), letter.sourceOffset(), letter.service(), letter.reason(),
                        letter.key(), letter.bytes());
            }
        }
        (options.format == CommonOptions.Format.jsonl ? main.err : main.out).println(letters.size()
                + " record(s) set aside on " + kafka.samplingTopics().deadLetters().name());
        return 0;
    }

    private List<DeadLetter> read(KafkaSettings kafka, String topic) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.assignedReader(kafka, "sampling-audit-dead-letters", "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, options.timeout);
            if (infos == null || infos.isEmpty()) {
                throw new AuditUnavailableException("The dead-letters topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, options.timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p, options.timeout) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    Instant at = Instant.ofEpochMilli(record.timestamp());
                    if ((options.from == null || !at.isBefore(options.from))
                            && (options.to == null || at.isBefore(options.to))) {
                        letters.add(letter(record, at));
                    }
                }
            }
        } catch (KafkaException e) {
            throw new AuditUnavailableException("Cannot read " + topic + " at " + kafka.bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
        letters.sort(Comparator.comparing(DeadLetter::at));
        return letters;
    }

    private static DeadLetter letter(ConsumerRecord<byte[], byte[]> record, Instant at) {
        return new DeadLetter(at, header(record, DeadLetters.SOURCE_TOPIC), header(record, DeadLetters.SOURCE_PARTITION),
                header(record, DeadLetters.SOURCE_OFFSET), header(record, DeadLetters.SERVICE),
                header(record, DeadLetters.REASON),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                record.value() == null ? 0 : record.value().length);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
