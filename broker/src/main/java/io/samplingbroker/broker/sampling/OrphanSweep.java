package io.samplingbroker.broker.sampling;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.CatchUp;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;

/**
 * Ends, at start, what an earlier run of this instance left open when it was killed ({@link OrphanedRequests}):
 * reads this instance's requests and the lifecycle back over the longest a request can stay pending, and records
 * each request left without an end as {@link SamplingAbandoned}, following its request event. Runs before the
 * gateway opens, so nothing of this run is pending yet. The instance id must be this instance's alone
 * ({@code broker.instance.id}): a second running instance of the same id would have its live requests abandoned.
 */
final class OrphanSweep {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);
    static final String REASON = "the broker instance was restarted: the session that asked ended with its last run";

    private OrphanSweep() {
    }

    /**
     * @param lookback the longest a request can wait for its outcome (the deadline, or a task's longest ttl)
     * @return how many requests it abandoned
     */
    static int run(KafkaSettings kafka, SamplingTopics topics, SchemaRegistryClient registry, String instanceId,
            Duration lookback, EventPublisher publisher, Clock clock, Duration timeout) {
        OrphanedRequests orphans = new OrphanedRequests(instanceId);
        Map<String, Object> config = KafkaClients.assignedConsumer(kafka, Service.BROKER, "orphans", "earliest");
        String requests = topics.requests().name();
        try (KafkaConsumer<String, SpecificRecord> reader = new KafkaConsumer<>(config, new StringDeserializer(),
                new TopicDeserializers(Map.of(requests, topics.requests().valueDeserializer(config, registry),
                        topics.lifecycle().name(), topics.lifecycle().valueDeserializer(config, registry))))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(requests, topics.lifecycle().name())) {
                reader.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            reader.assign(partitions);
            CatchUp.read(reader, partitions, clock.millis() - lookback.toMillis(), timeout, record -> {
                if (record.topic().equals(requests)) {
                    if (record.value() instanceof SamplingRequested requested) {
                        orphans.requested(requested.getContext(), EventChain.hashOf(record.headers()));
                    }
                } else if (EventContexts.of(record.value()) != null) {
                    orphans.ended(record.key());
                }
            });
        }
        List<OrphanedRequests.Orphan> found = orphans.orphans();
        List<CompletableFuture<?>> written = new ArrayList<>();
        for (OrphanedRequests.Orphan orphan : found) {
            ChainHead chain = new ChainHead();
            chain.restart(orphan.requestHash());
            written.add(publisher.publish(topics.lifecycle().name(), orphan.context().getRequestId(),
                    new SamplingAbandoned(orphan.context(), clock.instant(), REASON), chain, RequestTrace.NONE)
                    .toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording the abandoned requests", e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not record the requests an earlier run of " + instanceId
                    + " left open", e);
        }
        if (!found.isEmpty()) {
            LOG.warn("{} request(s) an earlier run of broker instance {} held were left open (it was killed);"
                    + " recorded as abandoned", found.size(), instanceId);
        }
        return found.size();
    }
}
