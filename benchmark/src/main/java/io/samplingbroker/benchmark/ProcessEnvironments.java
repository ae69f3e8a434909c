package io.samplingbroker.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code SAMPLING_*} environments of the separate-process mode's services: the settings {@link BenchStack} gives
 * the same services in one JVM, spelt the way each service's main reads them (docs: the broker's README).
 */
final class ProcessEnvironments {

    private static final String UNLIMITED = Integer.toString(Integer.MAX_VALUE);

    private ProcessEnvironments() {
    }

    /** Kafka, the registry and the topics' prefix: what every service needs. */
    static Map<String, String> common(String bootstrapServers, String registryUrl, String prefix) {
        return Map.of("SAMPLING_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers, "SAMPLING_SCHEMA_REGISTRY_URL", registryUrl,
                "SAMPLING_TOPICS_PREFIX", prefix);
    }

    /** Every instance of one application id shares the work; each keeps its state in its own directory. */
    static Map<String, String> approvalWorker(Map<String, String> common, Path policy, String applicationId,
            Path stateDir) {
        return with(common, Map.of("SAMPLING_POLICY_FILE", policy.toString(), "SAMPLING_APPLICATION_ID", applicationId,
                "SAMPLING_KAFKA_STREAMS_STATE_DIR", stateDir.toString()));
    }

    /** The offline model: a blank models file is the service's "none", whatever this JVM's environment holds. */
    static Map<String, String> modelWorker(Map<String, String> common, String groupId) {
        return with(common, Map.of("SAMPLING_MODELS_FILE", "", "SAMPLING_GROUP_ID", groupId));
    }

    /**
     * One broker instance on its own gateway port, the benchmark's two upstream servers ({@value BenchStack#SERVER}
     * at {@code sessionUrl}, 2025-11-25; {@value BenchStack#MRTR_SERVER} at {@code sessionlessUrl}, 2026-07-28), the
     * deadline, and the pending and per-host limits off: a stress rig whose load comes from one host.
     */
    static Map<String, String> broker(Map<String, String> common, String instanceId, int httpPort, Duration deadline,
            String sessionUrl, String sessionlessUrl) {
        String session = "SAMPLING_SERVERS_" + variable(BenchStack.SERVER);
        String sessionless = "SAMPLING_SERVERS_" + variable(BenchStack.MRTR_SERVER);
        Map<String, String> own = new HashMap<>(Map.of("SAMPLING_BROKER_INSTANCE_ID", instanceId,
                "SAMPLING_BROKER_HTTP_PORT", Integer.toString(httpPort),
                "SAMPLING_BROKER_AUTH_MODE", "none",
                "SAMPLING_BROKER_SAMPLING_DEADLINE_MS", Long.toString(deadline.toMillis()),
                "SAMPLING_BROKER_SAMPLING_PENDING_PER_SESSION", UNLIMITED,
                "SAMPLING_BROKER_SAMPLING_PENDING_PER_HOST", UNLIMITED,
                "SAMPLING_BROKER_LIMITS_SESSIONS_PER_HOST", UNLIMITED,
                "SAMPLING_BROKER_LIMITS_SESSIONS_TOTAL", UNLIMITED,
                "SAMPLING_BROKER_LIMITS_CALLS_PER_HOST", UNLIMITED,
                "SAMPLING_BROKER_LIMITS_STDIO_PROCESSES", UNLIMITED));
        own.putAll(Map.of(session + "_URL", sessionUrl, session + "_PROTOCOL", "2025-11-25",
                sessionless + "_URL", sessionlessUrl, sessionless + "_PROTOCOL", "2026-07-28"));
        return with(common, own);
    }

    /** A server name as the environment spells it: {@code bench-mrtr} is {@code BENCH__MRTR} ('-' is "__"). */
    static String variable(String name) {
        return name.toUpperCase(Locale.ROOT).replace("-", "__");
    }

    private static Map<String, String> with(Map<String, String> common, Map<String, String> own) {
        Map<String, String> environment = new HashMap<>(common);
        environment.putAll(own);
        return Map.copyOf(environment);
    }
}
