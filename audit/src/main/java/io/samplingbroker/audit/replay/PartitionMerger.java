package io.samplingbroker.audit.replay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition number of every topic with one consumer (manual assignment, no group, no commits) and hands
 * the records on in timestamp order across topics, so a request's events, which share the partition number, arrive
 * together and in order. Each topic-partition buffers a bounded number of records: when full it is paused, which
 * bounds memory whatever the topics hold.
 */
final class PartitionMerger {

    static final int BUFFER = 1000;

    private final Consumer<String, byte[]> consumer;
    private final List<Source> sources = new ArrayList<>();
    private final Duration stallTimeout;

    private static final class Source {
        final PartitionRange range;
        final int tieBreak;
        final TopicPartition tp;
        final ArrayDeque<ConsumerRecord<String, byte[]>> buffer = new ArrayDeque<>();
        boolean done;
        boolean paused;

        Source(PartitionRange range, int tieBreak) {
            this.range = range;
            this.tieBreak = tieBreak;
            this.tp = range.topicPartition();
        }
    }

    /** @param ranges the ranges of one partition number, in tie-break order (requests first) */
    PartitionMerger(Consumer<String, byte[]> consumer, List<PartitionRange> ranges, Duration stallTimeout) {
        this.consumer = consumer;
        this.stallTimeout = stallTimeout;
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).records() > 0) {
                sources.add(new Source(ranges.get(i), i));
            }
        }
    }

    void run(java.util.function.Consumer<RawRecord> out) {
        consumer.assign(sources.stream().map(s -> s.tp).toList());
        for (Source source : sources) {
            consumer.seek(source.tp, source.range.start());
        }
        long lastProgress = System.nanoTime();
        while (true) {
            drain(out);
            if (sources.stream().allMatch(s -> s.done && s.buffer.isEmpty())) {
                consumer.assign(List.of());
                return;
            }
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                throw new AuditUnavailableException("No records from Kafka for " + stallTimeout.toSeconds()
                        + " s while reading partition " + sources.get(0).range.partition() + " (broker unreachable?)");
            }
            for (Source source : sources) {
                for (ConsumerRecord<String, byte[]> record : records.records(source.tp)) {
                    if (record.offset() < source.range.end()) {
                        source.buffer.add(record);
                    }
                }
                if (!source.done && consumer.position(source.tp) >= source.range.end()) {
                    source.done = true;
                }
                flowControl(source);
            }
        }
    }

    /** Hands on records while every topic that may still have earlier ones has one buffered. */
    private void drain(java.util.function.Consumer<RawRecord> out) {
        while (true) {
            Source next = null;
            for (Source source : sources) {
                if (source.buffer.isEmpty()) {
                    if (!source.done) {
                        return; // its next record could be the earliest
                    }
                    continue;
                }
                if (next == null || earlier(source, next)) {
                    next = source;
                }
            }
            if (next == null) {
                return;
            }
            out.accept(new RawRecord(next.range.role(), next.buffer.poll()));
            flowControl(next);
        }
    }

    private static boolean earlier(Source a, Source b) {
        long ta = a.buffer.peek().timestamp();
        long tb = b.buffer.peek().timestamp();
        return ta != tb ? ta < tb : a.tieBreak < b.tieBreak;
    }

    private void flowControl(Source source) {
        if (!source.paused && (source.done || source.buffer.size() >= BUFFER)) {
            consumer.pause(List.of(source.tp));
            source.paused = true;
        } else if (source.paused && !source.done && source.buffer.size() <= BUFFER / 2) {
            consumer.resume(List.of(source.tp));
            source.paused = false;
        }
    }
}
