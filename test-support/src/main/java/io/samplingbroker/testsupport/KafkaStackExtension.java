package io.samplingbroker.testsupport;

import java.util.Locale;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a real Kafka broker and a real schema registry: declare a {@link KafkaStack} parameter.
 *
 * <p>One stack is started lazily per JVM and stopped when the test run ends, including when tests fail. Kafka runs
 * in-JVM by default; with {@code -Dsampling.kafka=testcontainers} (or {@code SAMPLING_KAFKA=testcontainers}) it runs
 * in a Testcontainers container instead, and such runs are skipped when no Docker engine is available. The registry
 * is always Apicurio Registry as a child process.
 */
public final class KafkaStackExtension implements ParameterResolver, ExecutionCondition {

    /** System property choosing the Kafka backend: {@code embedded} (default) or {@code testcontainers}. */
    public static final String BACKEND_PROPERTY = "sampling.kafka";
    static final String BACKEND_ENV = "SAMPLING_KAFKA";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaStackExtension.class);

    /** Skips (rather than fails) tests that asked for Testcontainers on a machine without Docker. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (requestedBackend() == KafkaStack.Backend.TESTCONTAINERS && !TestcontainersKafka.dockerAvailable()) {
            return ConditionEvaluationResult.disabled(
                    "Testcontainers Kafka was requested (" + BACKEND_PROPERTY + ") but no Docker engine is available");
        }
        return ConditionEvaluationResult.enabled("Kafka backend: " + requestedBackend());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        KafkaStack.Backend backend = requestedBackend();
        ExtensionContext.Store store = extensionContext.getRoot().getStore(NAMESPACE);
        RunningStack running = store.getOrComputeIfAbsent(RunningStack.class, type -> RunningStack.start(backend),
                RunningStack.class);
        if (running == null) {
            throw new ParameterResolutionException("The Kafka stack could not be started");
        }
        return running.stack();
    }

    static KafkaStack.Backend requestedBackend() {
        String value = System.getProperty(BACKEND_PROPERTY, System.getenv().getOrDefault(BACKEND_ENV, "embedded"));
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "embedded", "" -> KafkaStack.Backend.EMBEDDED;
            case "testcontainers" -> KafkaStack.Backend.TESTCONTAINERS;
            default -> throw new ParameterResolutionException(BACKEND_PROPERTY + " must be 'embedded' or "
                    + "'testcontainers', not '" + value + "'");
        };
    }
}
