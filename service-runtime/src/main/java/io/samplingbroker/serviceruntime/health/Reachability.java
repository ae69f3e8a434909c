package io.samplingbroker.serviceruntime.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaClients;

/**
 * Whether Kafka and the schema registry answer this service, probed every few seconds on a thread of its own so a
 * health request never waits on a network timeout: Kafka by describing the cluster as the service's own user, the
 * registry by one request without retries. Until the first probe ends, both report that they were not probed yet.
 */
public final class Reachability implements AutoCloseable {

    private static final Duration EVERY = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final String bootstrapServers;
    private final ScheduledExecutorService prober;
    private volatile String kafkaProblem = "not probed yet";
    private volatile String registryProblem = "not probed yet";

    private Reachability(Admin admin, SchemaRegistryClient registry, String bootstrapServers, String name) {
        this.admin = admin;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name + "-reachability");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Reachability start(KafkaSettings kafka, Service service) {
        Map<String, Object> config = kafka.adminConfig();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, KafkaClients.clientId(kafka, service, "health"));
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Reachability reachability = new Reachability(Admin.create(config), kafka.newRegistryClient(),
                kafka.bootstrapServers(), service.name().toLowerCase(java.util.Locale.ROOT));
        reachability.prober.scheduleWithFixedDelay(reachability::probe, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return reachability;
    }

    public ReadinessCheck kafka() {
        return () -> kafkaProblem;
    }

    public ReadinessCheck registry() {
        return () -> registryProblem;
    }

    /** The two checks, named as the health answer shows them. */
    public Map<String, ReadinessCheck> checks() {
        return Map.of("kafka", kafka(), "schema-registry", registry());
    }

    private void probe() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            kafkaProblem = nodes > 0 ? null : "Kafka at " + bootstrapServers + " reports no nodes";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            kafkaProblem = "Kafka unreachable at " + bootstrapServers + ": " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        registryProblem = registry.probe();
    }

    @Override
    public void close() {
        prober.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
