package io.samplingbroker.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Bounded polling helpers for tests: they stop at a count or a deadline, never hang. */
public final class Polling {

    private Polling() {
    }

    /** Polls until {@code count} records arrived or {@code timeout} passed; returns what arrived, in order. */
    public static <K, V> List<ConsumerRecord<K, V>> pollRecords(Consumer<K, V> consumer, int count, Duration timeout) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    /** Waits {@code pause} between two looks at something; an interrupt ends the wait early and stays set. */
    public static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
