package io.samplingbroker.audit.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.EventMapper;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.audit.verify.AuditCheck;
import io.samplingbroker.audit.verify.Findings;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.registry.SchemaRegistryException;
import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;

/**
 * One pass over the sampling topics: plans the offsets, then reads one partition number at a time (every topic's
 * partition p together, merged by timestamp), decodes each record, rebuilds timelines and runs the checks. Memory
 * is bounded by the records buffered per topic-partition and the requests in flight, never by the topics' size.
 */
public final class Replay {

    /** Roles read, in the order that breaks timestamp ties (a request before its decision, ...). */
    static final List<String> ROLES = List.of(SamplingTopics.REQUESTS, SamplingTopics.DECISIONS,
            SamplingTopics.REVIEW_COMMANDS, SamplingTopics.COMPLETIONS, SamplingTopics.RESULTS, SamplingTopics.LIFECYCLE);

    /** The result: counters and what the checks found. */
    public record Result(ReplayStats stats, Findings findings) {
    }

    private final KafkaSettings kafka;
    private final ReplayOptions options;
    private final List<AuditCheck> checks;
    private final Consumer<Timeline> sink;
    private final Progress progress;

    public Replay(KafkaSettings kafka, ReplayOptions options, List<AuditCheck> checks, Consumer<Timeline> sink,
            Progress progress) {
        this.kafka = kafka;
        this.options = options;
        this.checks = List.copyOf(checks);
        this.sink = sink;
        this.progress = progress;
    }

    public Result run() {
        long started = System.nanoTime();
        SamplingTopics topics = kafka.samplingTopics();
        SchemaRegistryClient registry = kafka.newRegistryClient();
        checkRegistry(registry, topics);
        Map<String, String> topicsByRole = new LinkedHashMap<>();
        Map<String, Deserializer<?>> deserializers = new HashMap<>();
        for (TopicSpec<?> spec : topics.all()) {
            if (ROLES.contains(spec.role())) {
                deserializers.put(spec.role(), spec.anyWriterDeserializer(kafka.consumerConfig(null), registry));
            }
        }
        ROLES.forEach(role -> topicsByRole.put(role, topics.all().stream().filter(s -> s.role().equals(role))
                .findFirst().orElseThrow().name()));
        ReplayStats stats = new ReplayStats();
        Findings findings = new Findings();
        EventMapper mapper = new EventMapper(options.showContent(), topics);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionRange> ranges = new ReplayPlanner(consumer, options.timeout(), kafka.bootstrapServers())
                    .plan(topicsByRole, List.of(SamplingTopics.REVIEW_COMMANDS), options.scope().from());
            Map<Integer, List<PartitionRange>> byPartition = new TreeMap<>();
            for (PartitionRange range : ranges) {
                stats.planned += range.records();
                byPartition.computeIfAbsent(range.partition(), p -> new ArrayList<>()).add(range);
                for (AuditCheck check : checks) {
                    check.onPartition(range, options.scope(), findings);
                }
            }
            progress.start(stats.planned);
            for (Map.Entry<Integer, List<PartitionRange>> partition : byPartition.entrySet()) {
                List<PartitionRange> inOrder = new ArrayList<>(partition.getValue());
                inOrder.sort((a, b) -> Integer.compare(ROLES.indexOf(a.role()), ROLES.indexOf(b.role())));
                TimelineAssembler assembler = new TimelineAssembler(partition.getKey(), options, checks, findings,
                        stats, sink);
                new PartitionMerger(consumer, inOrder, options.timeout()).run(
                        raw -> onRecord(raw, deserializers, mapper, assembler, stats, findings));
                assembler.finish();
            }
        } finally {
            progress.finish();
        }
        for (AuditCheck check : checks) {
            check.onEnd(findings);
        }
        stats.elapsedNanos = System.nanoTime() - started;
        return new Result(stats, findings);
    }

    private void onRecord(RawRecord raw, Map<String, Deserializer<?>> deserializers, EventMapper mapper,
            TimelineAssembler assembler, ReplayStats stats, Findings findings) {
        stats.records++;
        progress.record();
        for (AuditCheck check : checks) {
            check.onRecord(raw, findings);
        }
        ConsumerRecord<String, byte[]> record = raw.record();
        if (record.value() == null) {
            return;
        }
        Object value;
        try {
            value = deserializers.get(raw.role()).deserialize(record.topic(), record.headers(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            throw new AuditUnavailableException("Cannot reach the schema registry " + registryUrls() + ": "
                    + e.getMessage(), e);
        } catch (SerializationException e) {
            stats.undecodable++;
            findings.add("decode", record.key(), raw.location(), "cannot decode the record: " + e.getMessage());
            return;
        }
        AuditEvent event = mapper.map(value, record.topic(), record.partition(), record.offset(), record.timestamp());
        if (event == null) {
            findings.add("decode", record.key(), raw.location(), "unknown event type " + value.getClass().getName());
            return;
        }
        SamplingContext context = EventContexts.of(value);
        String requestId = context != null ? context.getRequestId()
                : value instanceof ReviewCommand command ? command.getRequestId() : record.key();
        if (record.key() != null && !record.key().equals(requestId)) {
            findings.add("key", requestId, raw.location(), "record key '" + record.key()
                    + "' is not the request id of the event it carries");
        }
        assembler.accept(requestId, event, context);
    }

    private void checkRegistry(SchemaRegistryClient registry, SamplingTopics topics) {
        try {
            registry.latest(topics.requests().name() + "-value");
        } catch (SchemaRegistryUnavailableException e) {
            throw new AuditUnavailableException("Cannot reach the schema registry " + registryUrls() + ": "
                    + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            // reachable: an unknown subject only means nothing was written yet
        }
    }

    private String registryUrls() {
        return String.valueOf(kafka.registry().get("schema.registry.url"));
    }

    private Map<String, Object> consumerConfig() {
        // manual assignment: no group, nothing committed
        Map<String, Object> config = KafkaClients.assignedReader(kafka, "sampling-audit", "earliest");
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // bounds what one fetch brings in (defaults: 50 MiB, 1 MiB per partition), part of keeping the heap small;
        // a record larger than these still comes, alone
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 512 * 1024);
        config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) options.timeout().toMillis());
        return config;
    }
}
