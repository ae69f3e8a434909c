package io.samplingbroker.serviceruntime.kafka;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;

/**
 * The Kafka ACLs of a deployment, from the writers table ({@link Service}) and nothing else: each service's principal
 * may describe and read the topics it reads, describe and write the topics it writes, and use its own consumer group;
 * the approval-worker also owns whatever its Kafka Streams applications create under their application id (internal
 * topics, groups, transactional ids); the audit reads every topic. No principal gets a cluster right or a wildcard.
 *
 * @param principals each service's Kafka principal ({@code User:broker}, ...)
 * @param auditPrincipal the audit command's principal, which reads every sampling topic
 * @param modelWorkerGroup the model-workers' consumer group ({@code group.id})
 * @param approvalApplicationId the approval-worker's {@code application.id}: its review application is
 *     {@code <application.id>-review}, so one prefix covers both
 */
public record KafkaAcls(Map<Service, String> principals, String auditPrincipal, String modelWorkerGroup,
        String approvalApplicationId) {

    public static final String DEFAULT_MODEL_WORKER_GROUP = "sampling-model-worker";
    public static final String DEFAULT_APPROVAL_APPLICATION_ID = "sampling-approval-worker";
    public static final String AUDIT_PRINCIPAL = "User:audit";

    public KafkaAcls {
        principals = Map.copyOf(principals);
        for (Service service : Service.values()) {
            if (!principals.containsKey(service)) {
                throw new IllegalArgumentException("No Kafka principal for " + service.id());
            }
        }
        Objects.requireNonNull(auditPrincipal, "auditPrincipal");
        Objects.requireNonNull(modelWorkerGroup, "modelWorkerGroup");
        Objects.requireNonNull(approvalApplicationId, "approvalApplicationId");
    }

    /** Every service as {@code User:<service id>} (the SCRAM user names the embedded stack creates). */
    public static KafkaAcls withDefaultPrincipals(String modelWorkerGroup, String approvalApplicationId) {
        Map<Service, String> principals = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            principals.put(service, principalOf(service));
        }
        return new KafkaAcls(principals, AUDIT_PRINCIPAL, modelWorkerGroup, approvalApplicationId);
    }

    /** {@code User:<service id>}. */
    public static String principalOf(Service service) {
        return "User:" + service.id();
    }

    /** The bindings for the sampling topics as {@code config} names them. */
    public List<AclBinding> bindings(TopicsConfig config) {
        SamplingTopics topics = new SamplingTopics(config);
        List<AclBinding> bindings = new ArrayList<>();
        for (Service service : Service.values()) {
            String principal = principals.get(service);
            for (TopicSpec<?> topic : topics.all()) {
                boolean reads = service.reads().contains(topic.role());
                boolean writes = service.writes().contains(topic.role());
                if (reads || writes) {
                    bindings.add(allow(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL,
                            AclOperation.DESCRIBE));
                }
                if (reads) {
                    bindings.add(allow(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL,
                            AclOperation.READ));
                }
                if (writes) {
                    bindings.add(allow(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL,
                            AclOperation.WRITE));
                }
            }
        }
        String models = principals.get(Service.MODEL_WORKER);
        bindings.add(allow(models, ResourceType.GROUP, modelWorkerGroup, PatternType.LITERAL, AclOperation.READ));
        String approval = principals.get(Service.APPROVAL_WORKER);
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            // Streams creates, reads, writes and deletes its internal topics, and commits as its group
            bindings.add(allow(approval, type, approvalApplicationId, PatternType.PREFIXED, AclOperation.ALL));
        }
        for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.READ)) {
            if (config.prefix().isEmpty()) { // no prefix to grant on: each topic by name
                topics.all().forEach(topic -> bindings.add(allow(auditPrincipal, ResourceType.TOPIC, topic.name(),
                        PatternType.LITERAL, operation)));
            } else {
                bindings.add(allow(auditPrincipal, ResourceType.TOPIC, config.prefix(), PatternType.PREFIXED,
                        operation));
            }
        }
        return bindings;
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
