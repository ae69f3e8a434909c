package io.samplingbroker.systemtests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.Service;

/**
 * Holds recorded writes to the writers table ({@link Service}): each write's service comes from its client id (every
 * service names its clients {@code <service>-<role>}), its topic role from the stack's topic prefix; a write to a
 * topic the table does not give that service is a violation. Kafka Streams' internal topics
 * ({@code <application.id>-...}) count as the approval-worker's.
 */
final class TopicWrites {

    private final String topicPrefix;
    private final Set<String> streamsApplicationIds;

    TopicWrites(String topicPrefix, Collection<String> streamsApplicationIds) {
        this.topicPrefix = topicPrefix;
        this.streamsApplicationIds = Set.copyOf(streamsApplicationIds);
    }

    /** The writes of this stack (its topics or its Streams applications' internal topics), as service and role. */
    Set<String> of(List<TopicWriteRecorder.Write> writes) {
        Set<String> seen = new LinkedHashSet<>();
        for (TopicWriteRecorder.Write write : writes) {
            if (ours(write.topic())) {
                seen.add(service(write.clientId()).map(Service::id).orElse(write.clientId()) + " -> " + role(write.topic()));
            }
        }
        return seen;
    }

    /** A line for each write the table does not allow; empty when every service kept to its topics. */
    List<String> violations(List<TopicWriteRecorder.Write> writes) {
        List<String> violations = new ArrayList<>();
        for (TopicWriteRecorder.Write write : writes) {
            if (!ours(write.topic())) {
                continue;
            }
            Optional<Service> service = service(write.clientId());
            String role = role(write.topic());
            boolean allowed = service.isPresent() && (service.get().writes().contains(role)
                    || service.get() == Service.APPROVAL_WORKER && internal(write.topic()));
            if (!allowed) {
                violations.add(write.clientId() + " (" + service.map(Service::id).orElse("no known service") + ") wrote "
                        + write.topic() + ", which the writers table does not give it");
            }
        }
        return List.copyOf(new LinkedHashSet<>(violations));
    }

    private boolean ours(String topic) {
        return topic.startsWith(topicPrefix) || internal(topic);
    }

    private boolean internal(String topic) {
        return streamsApplicationIds.stream().anyMatch(id -> topic.startsWith(id + "-"));
    }

    private String role(String topic) {
        if (topic.startsWith(topicPrefix) && SamplingTopics.ROLES.contains(topic.substring(topicPrefix.length()))) {
            return topic.substring(topicPrefix.length());
        }
        return internal(topic) ? "internal" : topic;
    }

    private static Optional<Service> service(String clientId) {
        return Arrays.stream(Service.values()).filter(s -> clientId.startsWith(s.id() + "-")).findFirst();
    }
}
