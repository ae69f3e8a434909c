package io.samplingbroker.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingFailed;

class SamplingTopicsTest {

    @Test
    void givenDefaults_thenEveryEventTopicIsPrefixedRetainedForEverAndNeverCompacted() {
        SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults());

        assertThat(topics.all()).extracting(TopicSpec::name).containsExactly("sampling.requests",
                "sampling.decisions", "sampling.completions", "sampling.results", "sampling.lifecycle",
                "sampling.dead-letters", "sampling.review-commands", "sampling.reviews", "sampling.host-keys");
        assertThat(topics.all()).filteredOn(topic -> topic != topics.reviews() && topic != topics.hostKeys())
                .allSatisfy(topic -> {
            assertThat(topic.configs()).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete");
            assertThat(topic.partitions()).isEqualTo(TopicsConfig.DEFAULT_PARTITIONS);
        });
    }

    @Test
    void givenDefaults_thenTheReviewStateTopicIsCompactedAndCoPartitionedWithTheEvents() {
        SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults());

        assertThat(topics.reviews().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.reviews().partitions()).isEqualTo(topics.requests().partitions());
    }

    @Test
    void givenTwelvePartitions_thenTheHostKeysTopicIsStillCompactedInOne() {
        SamplingTopics topics = new SamplingTopics(TopicsConfig.fromProperties(Map.of("topics.partitions", "12")));

        assertThat(topics.hostKeys().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.hostKeys().partitions()).isEqualTo(1);
        assertThat(topics.requests().partitions()).isEqualTo(12);
    }

    @Test
    void givenUnionTopics_thenTheirSchemasListEveryEventTheyCarry() {
        assertThat(SamplingTopics.COMPLETIONS_SCHEMA.getTypes()).containsExactly(SamplingCompleted.getClassSchema(),
                SamplingFailed.getClassSchema());
        assertThat(SamplingTopics.LIFECYCLE_SCHEMA.getTypes()).contains(SamplingCancelled.getClassSchema());
    }

    @Test
    void givenProperties_whenRead_thenPrefixPartitionsRetentionAndPerTopicConfigsApply() {
        TopicsConfig config = TopicsConfig.fromProperties(Map.of(
                "topics.prefix", "acme.sampling.",
                "topics.partitions", "12",
                "topics.replication.factor", "3",
                "topics.retention.ms", "2592000000",
                "topics.results.config.retention.ms", "86400000",
                "unrelated.key", "ignored"));

        SamplingTopics topics = new SamplingTopics(config);

        assertThat(topics.requests().name()).isEqualTo("acme.sampling.requests");
        assertThat(topics.requests().partitions()).isEqualTo(12);
        assertThat(topics.requests().replicationFactor()).isEqualTo((short) 3);
        assertThat(topics.requests().configs()).containsEntry("retention.ms", "2592000000");
        assertThat(topics.results().configs()).containsEntry("retention.ms", "86400000");
    }

    @Test
    void givenInvalidSettings_whenRead_thenTheKeyAndTheRuleAreNamed() {
        assertThatThrownBy(() -> TopicsConfig.fromProperties(Map.of("topics.prefix", "bad prefix/")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topics.prefix");
        assertThatThrownBy(() -> TopicsConfig.fromProperties(Map.of("topics.partitions", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be at least 1");
        assertThatThrownBy(() -> TopicsConfig.fromProperties(Map.of("topics.retention.ms", "-5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topics.retention.ms");
        assertThatThrownBy(() -> TopicsConfig.fromProperties(Map.of("topics.resuls.config.retention.ms", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown topic role 'resuls'");
    }
}
