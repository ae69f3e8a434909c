package io.samplingbroker.serviceruntime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicsConfig;

/** The ACLs are the writers table, and nothing more. */
class KafkaAclsTest {

    private final List<AclBinding> bindings = KafkaAcls.withDefaultPrincipals("models", "approval")
            .bindings(TopicsConfig.defaults());

    @Test
    void givenTheWritersTable_whenACLsAreMade_thenEachServiceMayWriteExactlyTheTopicsItWrites() {
        for (Service service : Service.values()) {
            Set<String> written = topics(service, AclOperation.WRITE);
            Set<String> read = topics(service, AclOperation.READ);

            assertThat(written).as("%s writes", service.id()).isEqualTo(names(service.writes()));
            assertThat(read).as("%s reads", service.id()).isEqualTo(names(service.reads()));
        }
        assertThat(topics(Service.MODEL_WORKER, AclOperation.WRITE)).doesNotContain("sampling.requests");
    }

    @Test
    void givenTheACLs_thenNoneIsAWildcardOrOnTheClusterAndGroupsAreEachServicesOwn() {
        assertThat(bindings).noneMatch(b -> b.pattern().name().equals("*"))
                .noneMatch(b -> b.pattern().resourceType() == ResourceType.CLUSTER);
        assertThat(bindings).filteredOn(b -> b.pattern().resourceType() == ResourceType.GROUP)
                .extracting(b -> b.entry().principal() + " " + b.pattern().patternType() + " " + b.pattern().name())
                .containsExactlyInAnyOrder("User:model-worker LITERAL models", "User:approval-worker PREFIXED approval");
        assertThat(bindings).filteredOn(b -> b.entry().principal().equals(KafkaAcls.AUDIT_PRINCIPAL))
                .extracting(b -> b.entry().operation() + " " + b.pattern().patternType() + " " + b.pattern().name())
                .containsExactlyInAnyOrder("DESCRIBE PREFIXED sampling.", "READ PREFIXED sampling.");
    }

    private Set<String> topics(Service service, AclOperation operation) {
        return bindings.stream().filter(b -> b.entry().principal().equals(KafkaAcls.principalOf(service))
                && b.entry().operation() == operation && b.pattern().resourceType() == ResourceType.TOPIC
                && b.pattern().patternType() == PatternType.LITERAL)
                .map(b -> b.pattern().name()).collect(Collectors.toSet());
    }

    private static Set<String> names(Set<String> roles) {
        SamplingTopics topics = new SamplingTopics(TopicsConfig.defaults());
        return topics.all().stream().filter(t -> roles.contains(t.role())).map(t -> t.name())
                .collect(Collectors.toSet());
    }
}
