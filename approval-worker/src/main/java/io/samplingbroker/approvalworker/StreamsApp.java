package io.samplingbroker.approvalworker;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.FailureSignal;

/** One Kafka Streams application of the worker: started, awaited until it runs, and closed leaving its group. */
final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final KafkaStreams streams;

    private StreamsApp(String name, KafkaStreams streams) {
        this.name = name;
        this.streams = streams;
    }

    /**
     * Starts the topology and waits until Kafka Streams runs.
     *
     * @throws IllegalStateException when it does not run before {@code deadlineNanos} ({@link System#nanoTime()})
     */
    static StreamsApp start(String name, Topology topology, Properties properties, long deadlineNanos,
            String bootstrapServers, FailureSignal failures, ServiceMetrics metrics) {
        KafkaStreams streams = new KafkaStreams(topology, properties);
        // its clients' metrics too: the consumers' lag is how far the worker is behind
        metrics.bindKafka(new KafkaStreamsMetrics(streams, Tags.of("application", name)));
        CompletableFuture<Void> running = new CompletableFuture<>();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.complete(null);
            } else if (now == KafkaStreams.State.PENDING_ERROR || now == KafkaStreams.State.ERROR) {
                IllegalStateException error = new IllegalStateException("Kafka Streams failed (state " + now + ")");
                running.completeExceptionally(error);
                // after start-up, an application in error decides nothing more: the worker must not look alive
                failures.fail("the " + name + " Kafka Streams application", error);
            }
        });
        // A failed thread (registry or Kafka unreachable for too long) is replaced and redoes its records from the
        // last commit: at least once, nothing lost.
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("A {} stream thread failed; replacing it", name, error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        try {
            running.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            KafkaStreams.State state = streams.state();
            streams.close(leavingTheGroup(Duration.ofSeconds(10)));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(name + " did not start in time (Kafka Streams state " + state
                    + ", Kafka at " + bootstrapServers + "): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        }
        return new StreamsApp(name, streams);
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    /** Stops processing; offsets of what was processed are committed, the rest is processed after the next start. */
    @Override
    public void close() {
        if (!streams.close(leavingTheGroup(CLOSE_TIMEOUT))) {
            LOG.warn("{} did not stop within {} s", name, CLOSE_TIMEOUT.toSeconds());
        }
    }

    /**
     * Kafka Streams stays in its consumer group on close by default (so a rolling restart moves no partitions), and
     * the next start then waits for the old member's session to time out (45 s) before it runs. A worker that stops
     * hands its partitions over at once instead.
     */
    private static CloseOptions leavingTheGroup(Duration timeout) {
        return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout);
    }
}
