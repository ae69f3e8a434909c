package io.samplingbroker.schemas.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the sampling topics at start-up, idempotently: a topic that exists is left as it is (a difference in
 * partition count is reported, since changing it would reorder request events).
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);

    private TopicProvisioner() {
    }

    /** Completes with the names of the topics this call created (empty when all existed). */
    public static CompletionStage<List<String>> ensureTopics(Admin admin, Collection<TopicSpec<?>> topics) {
        List<NewTopic> newTopics = topics.stream().map(TopicSpec::newTopic).toList();
        CreateTopicsResult result = admin.createTopics(newTopics);
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
            String name = entry.getKey();
            outcomes.add(entry.getValue().toCompletionStage().toCompletableFuture()
                    .thenApply(created -> name)
                    .exceptionally(failure -> {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        if (cause instanceof TopicExistsException) {
                            return null;
                        }
                        throw new CompletionException("Cannot create topic '" + name + "': " + cause.getMessage(), cause);
                    }));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenCompose(done -> {
                    List<String> created = outcomes.stream().map(CompletableFuture::join).filter(n -> n != null).toList();
                    LOG.info("Sampling topics ready: {} created, {} already present", created.size(),
                            topics.size() - created.size());
                    return awaitLeaders(admin, topics, System.nanoTime() + LEADER_WAIT.toNanos())
                            .thenApply(ignored -> created);
                });
    }

    /**
     * A created topic is not usable until every partition has a leader that knows it; producing earlier fails with
     * UnknownTopicOrPartition. Waits (without blocking a thread) until it is, then reports partition-count drift.
     */
    private static CompletionStage<Void> awaitLeaders(Admin admin, Collection<TopicSpec<?>> topics, long deadline) {
        List<String> names = topics.stream().map(TopicSpec::name).toList();
        return admin.describeTopics(names).allTopicNames().toCompletionStage()
                .handle((descriptions, failure) -> {
                    boolean ready = failure == null && descriptions.values().stream()
                            .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                    if (ready) {
                        reportPartitionMismatches(topics, descriptions);
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (System.nanoTime() > deadline) {
                        Throwable cause = failure != null ? failure : new IllegalStateException("partitions without leader");
                        return CompletableFuture.<Void>failedFuture(new CompletionException("Sampling topics "
                                + names + " have no leader after " + LEADER_WAIT.toSeconds() + " s: " + cause.getMessage(), cause));
                    }
                    return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> awaitLeaders(admin, topics, deadline));
                })
                .thenCompose(stage -> stage);
    }

    private static void reportPartitionMismatches(Collection<TopicSpec<?>> topics, Map<String, TopicDescription> descriptions) {
        for (TopicSpec<?> spec : topics) {
            TopicDescription description = descriptions.get(spec.name());
            if (description != null && description.partitions().size() != spec.partitions()) {
                LOG.warn("Topic {} has {} partitions, the configuration asks for {}; left unchanged",
                        spec.name(), description.partitions().size(), spec.partitions());
            }
        }
    }
}
