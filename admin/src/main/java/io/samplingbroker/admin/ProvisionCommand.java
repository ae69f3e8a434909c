package io.samplingbroker.admin;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.cli.KafkaConnectionOptions;
import io.samplingbroker.serviceruntime.kafka.KafkaAcls;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code provision}: what a deployment needs in Kafka before its services start, run once with admin rights and again
 * at will (idempotent): every sampling topic, every topic's value schema in the registry, and the ACLs of the writers
 * table for each service's principal. The services create nothing; they check at start-up and name what is missing.
 */
@Command(name = "provision", description = "Creates the sampling topics, registers their schemas and creates the"
        + " services' Kafka ACLs (idempotent; needs admin rights).")
final class ProvisionCommand implements Callable<Integer> {

    @ParentCommand
    AdminMain main;

    @Mixin
    KafkaConnectionOptions kafka;

    @Option(names = "--acls", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create the ACLs (default); --no-acls for a Kafka without an authorizer (development only).")
    boolean acls;

    @Option(names = "--principal", paramLabel = "SERVICE=PRINCIPAL",
            description = "A service's Kafka principal when it is not User:<service> (broker, approval-worker,"
                    + " review-console, model-worker, admin); repeat for each.")
    Map<String, String> principals = new LinkedHashMap<>();

    @Option(names = "--audit-principal", paramLabel = "PRINCIPAL", defaultValue = KafkaAcls.AUDIT_PRINCIPAL,
            description = "The audit command's principal, which reads every topic (default ${DEFAULT-VALUE}).")
    String auditPrincipal;

    @Option(names = "--model-worker-group", paramLabel = "GROUP", defaultValue = KafkaAcls.DEFAULT_MODEL_WORKER_GROUP,
            description = "The model-workers' consumer group (their group.id; default ${DEFAULT-VALUE}).")
    String modelWorkerGroup;

    @Option(names = "--approval-application-id", paramLabel = "ID",
            defaultValue = KafkaAcls.DEFAULT_APPROVAL_APPLICATION_ID,
            description = "The approval-worker's application.id (default ${DEFAULT-VALUE}).")
    String approvalApplicationId;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long each step may wait for Kafka (default 30).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw new IllegalArgumentException("--timeout must be 1..600 seconds, got " + timeoutSeconds);
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        KafkaSettings settings = kafka.kafkaSettings(main.environment, timeout.toMillis(), "admin");
        TopicProvisioning.Provisioned done = TopicProvisioning.provision(settings, settings.newRegistryClient(),
                acls ? acls() : null, timeout);
        main.out.println("Provisioned " + settings.topics().prefix() + "*: " + done.topics() + " topics ("
                + done.createdTopics().size() + " created), " + done.schemas() + " schemas, "
                + (acls ? done.acls() + " ACLs" : "no ACLs (--no-acls)"));
        return 0;
    }

    private KafkaAcls acls() {
        Map<Service, String> byService = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            byService.put(service, KafkaAcls.principalOf(service));
        }
        principals.forEach((name, principal) -> {
            Service service = java.util.Arrays.stream(Service.values()).filter(s -> s.id().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--principal " + name + "=...: no such service;"
                            + " the services are broker, approval-worker, review-console, model-worker, admin"));
            if (!principal.contains(":")) {
                throw new IllegalArgumentException("--principal " + name + "=" + principal + ": a principal is"
                        + " <type>:<name>, for example User:" + principal);
            }
            byService.put(service, principal);
        });
        return new KafkaAcls(byService, auditPrincipal, modelWorkerGroup, approvalApplicationId);
    }
}
