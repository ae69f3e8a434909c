package io.samplingbroker.devstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.admin.Admin;

import io.samplingbroker.approvalworker.ApprovalWorker;
import io.samplingbroker.approvalworker.ApprovalWorkerConfig;
import io.samplingbroker.broker.Broker;
import io.samplingbroker.broker.BrokerConfig;
import io.samplingbroker.embeddedinfra.KafkaSecurity;
import io.samplingbroker.modelworker.ModelWorker;
import io.samplingbroker.modelworker.ModelWorkerConfig;
import io.samplingbroker.reviewconsole.ReviewConsole;
import io.samplingbroker.reviewconsole.ReviewConsoleConfig;
import io.samplingbroker.reviewconsole.ReviewConsoleServiceConfig;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.health.ManagementServer;
import io.samplingbroker.serviceruntime.health.ManagementSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaAcls;
import io.samplingbroker.serviceruntime.kafka.TopicProvisioning;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;
import io.samplingbroker.serviceruntime.service.RunningService;
import io.samplingbroker.serviceruntime.service.Telemetry;
import io.samplingbroker.serviceruntime.service.VitalPartFailure;
import io.samplingbroker.serviceruntime.tracing.ServiceTracing;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;

/**
 * The services of one deployment in one JVM, on a Kafka and a registry that already run: the one stack builder of
 * the dev stack, the system tests and the benchmark. They start in data-path order (approval-worker, review
 * console, model-worker, then the brokers that take requests) and stop in reverse; if one cannot start, those
 * started before it are stopped and the failure is thrown.
 *
 * <pre>
 * try (ServiceStack stack = ServiceStack.on(kafka)
 *         .approvalWorker(ApprovalWorkerConfig.of(kafka, policy))
 *         .modelWorker(ModelWorkerConfig.defaults(kafka))
 *         .broker(brokerConfig)
 *         .start()) { ... }
 * </pre>
 */
public final class ServiceStack implements AutoCloseable {

    private static final Duration PROVISION_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaSettings kafka;
    private final Integer managementPort;
    private final TracingSettings tracing;
    private final Map<String, ManagementServer> management = new LinkedHashMap<>();
    private ApprovalWorker approvalWorker;
    private ApprovalWorkerConfig approvalConfig;
    private ReviewConsole reviewConsole;
    private ModelWorker modelWorker;
    private final List<Broker> brokers = new ArrayList<>();

    private ServiceStack(KafkaSettings kafka, Integer managementPort, TracingSettings tracing) {
        this.tracing = tracing;
        this.kafka = kafka;
        this.managementPort = managementPort;
    }

    /** A stack whose services share these Kafka, registry and topic settings (each config names its own). */
    public static Builder on(KafkaSettings kafka) {
        return new Builder(Objects.requireNonNull(kafka, "kafka"));
    }

    /** What to start; each service is optional. */
    public static final class Builder {
        private final KafkaSettings kafka;
        private ApprovalWorkerConfig approval;
        private ReviewConsoleConfig console;
        private ModelWorkerConfig models;
        private final List<BrokerConfig> brokers = new ArrayList<>();
        private KafkaSecurity security;
        private Integer managementPort;
        private TracingSettings tracing = TracingSettings.off();

        private Builder(KafkaSettings kafka) {
            this.kafka = kafka;
        }

        /**
         * Runs every service as its own Kafka user on a secured Kafka: the stack's settings are the super user's (they
         * provision), each service gets a SCRAM user of its name and only the ACLs of its row of the writers table.
         */
        public Builder secured(KafkaSecurity kafkaSecurity) {
            security = kafkaSecurity;
            return this;
        }

        /**
         * Serves each service's health and metrics on loopback, as its own process would: the first broker on
         * {@code firstPort}, the approval-worker on the next port, the model-worker on the one after, the review
         * console on the fourth (the services' own defaults when {@code firstPort} is 9401); further brokers, and
         * every service when {@code firstPort} is 0, on free ports ({@link #managementPorts()}).
         */
        public Builder serveManagement(int firstPort) {
            managementPort = firstPort;
            return this;
        }

        /** Every service exports its spans as {@code settings} say (default: off). */
        public Builder tracing(TracingSettings settings) {
            tracing = settings;
            return this;
        }

        public Builder approvalWorker(ApprovalWorkerConfig config) {
            approval = config;
            return this;
        }

        /** The review console, on the stack's Kafka settings. */
        public Builder reviewConsole(ReviewConsoleConfig config) {
            console = config;
            return this;
        }

        public Builder modelWorker(ModelWorkerConfig config) {
            models = config;
            return this;
        }

        /** One broker instance; call once per instance. */
        public Builder broker(BrokerConfig config) {
            brokers.add(config);
            return this;
        }

        /**
         * Provisions the deployment's topics and schemas (what the admin command does: the services only check), then
         * starts the services; blocks until each runs (never call it on an event loop).
         */
        public ServiceStack start() {
            TopicProvisioning.provision(kafka, kafka.newRegistryClient(), security == null ? null : acls(),
                    PROVISION_TIMEOUT);
            ServiceStack stack = new ServiceStack(kafka, managementPort, tracing);
            try {
                if (approval != null) {
                    stack.approvalConfig = approval.withKafka(as(Service.APPROVAL_WORKER, approval.kafka()));
                    stack.approvalWorker = stack.serve(Service.APPROVAL_WORKER.id(), 1,
                            ApprovalWorker.start(stack.approvalConfig, stack.telemetry(Service.APPROVAL_WORKER)));
                }
                if (console != null) {
                    stack.reviewConsole = stack.serve(Service.REVIEW_CONSOLE.id(), 3, ReviewConsole.start(
                            new ReviewConsoleServiceConfig(as(Service.REVIEW_CONSOLE, kafka), console,
                                    approval == null ? null : approval.pricesFile()), // one price list per stack
                            stack.telemetry(Service.REVIEW_CONSOLE)));
                }
                if (models != null) {
                    stack.modelWorker = stack.serve(Service.MODEL_WORKER.id(), 2,
                            ModelWorker.start(models.withKafka(as(Service.MODEL_WORKER, models.kafka())),
                                    stack.telemetry(Service.MODEL_WORKER)));
                }
                for (BrokerConfig broker : brokers) {
                    int instance = stack.brokers.size();
                    stack.brokers.add(stack.serve(instance == 0 ? Service.BROKER.id() : Service.BROKER.id() + "-"
                            + (instance + 1), instance == 0 ? 0 : -1,
                            Broker.start(broker.withKafka(as(Service.BROKER, broker.kafka())),
                                    stack.telemetry(Service.BROKER))));
                }
                return stack;
            } catch (RuntimeException e) {
                stack.close();
                throw e;
            }
        }

        /** Creates the services' users, and the ACLs that give each its row of the writers table. */
        private KafkaAcls acls() {
            List<String> users = new ArrayList<>(Arrays.stream(Service.values()).map(Service::id).toList());
            users.add(AUDIT_USER);
            try (Admin admin = Admin.create(kafka.adminConfig())) {
                security.addUsers(admin, users);
            }
            return KafkaAcls.withDefaultPrincipals(models == null ? KafkaAcls.DEFAULT_MODEL_WORKER_GROUP
                    : models.groupId(), approval == null ? KafkaAcls.DEFAULT_APPROVAL_APPLICATION_ID
                    : approval.applicationId());
        }

        /** A service's settings with its own user's credentials on a secured Kafka; as they are otherwise. */
        private KafkaSettings as(Service service, KafkaSettings settings) {
            return security == null ? settings : settings.withCredentials(security.clientSettings(service.id()));
        }
    }

    /** A service's own metrics, and its spans exported as the stack's tracing settings say. */
    private Telemetry telemetry(Service service) {
        return new Telemetry(ServiceMetrics.create(service), ServiceTracing.start(service, tracing));
    }

    /**
     * Serves a started service's management port when the stack serves them: {@code offset} from the first port, or
     * -1 for a free port.
     */
    private <S extends RunningService> S serve(String name, int offset, S service) {
        if (managementPort == null) {
            return service;
        }
        int port = managementPort == 0 || offset < 0 ? 0 : managementPort + offset;
        ManagementServer previous = management.remove(name);
        if (previous != null) {
            previous.close();
        }
        try {
            management.put(name, ManagementServer.start(name, new ManagementSettings("127.0.0.1", port), service));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    /** Where each service serves its health and metrics, by name (broker, broker-2, approval-worker, ...). */
    public Map<String, Integer> managementPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        management.forEach((name, server) -> ports.put(name, server.port()));
        return ports;
    }

    /** The audit's Kafka user on a secured stack: it may read every sampling topic. */
    public static final String AUDIT_USER = "audit";

    public Optional<ReviewConsole> reviewConsole() {
        return Optional.ofNullable(reviewConsole);
    }

    /** The broker instances, in the order they were added. */
    public List<Broker> brokers() {
        return List.copyOf(brokers);
    }

    /**
     * Completes with the first failure of a part one of the services cannot work without (see
     * {@link RunningService#failed()}); never completes while they are healthy.
     */
    public CompletionStage<VitalPartFailure> failed() {
        CompletableFuture<VitalPartFailure> first = new CompletableFuture<>();
        List<RunningService> running = new ArrayList<>();
        Optional.ofNullable(approvalWorker).ifPresent(running::add);
        Optional.ofNullable(reviewConsole).ifPresent(running::add);
        Optional.ofNullable(modelWorker).ifPresent(running::add);
        running.addAll(brokers);
        running.forEach(service -> service.failed().thenAccept(first::complete));
        return first;
    }

    /** The first broker instance. */
    public Broker broker() {
        if (brokers.isEmpty()) {
            throw new IllegalStateException("This stack runs no broker");
        }
        return brokers.get(0);
    }

    /**
     * Stops the approval-worker and starts it again with {@code adjusted} applied to its configuration (for example
     * an empty state directory, so that what it knows afterwards came back from Kafka).
     */
    public void restartApprovalWorker(java.util.function.UnaryOperator<ApprovalWorkerConfig> adjusted) {
        if (approvalWorker == null) {
            throw new IllegalStateException("This stack runs no approval-worker");
        }
        approvalWorker.close();
        approvalWorker = null;
        approvalConfig = adjusted.apply(approvalConfig);
        approvalWorker = serve(Service.APPROVAL_WORKER.id(), 1, ApprovalWorker.start(approvalConfig,
                telemetry(Service.APPROVAL_WORKER)));
    }

    /** Stops every service, the last started first; a service that fails to stop does not keep the others running. */
    @Override
    public void close() {
        List<AutoCloseable> running = new ArrayList<>();
        if (approvalWorker != null) {
            running.add(approvalWorker);
        }
        if (reviewConsole != null) {
            running.add(reviewConsole);
        }
        if (modelWorker != null) {
            running.add(modelWorker);
        }
        running.addAll(brokers);
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("Stopping " + running.get(i).getClass().getSimpleName() + " failed: " + e);
            }
        }
        approvalWorker = null;
        reviewConsole = null;
        modelWorker = null;
        brokers.clear();
        management.values().forEach(ManagementServer::close);
        management.clear();
    }
}
