package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.approvalworker.ApprovalWorkerConfig;
import io.samplingbroker.broker.BrokerConfig;
import io.samplingbroker.broker.GatewayLimits;
import io.samplingbroker.broker.upstream.UpstreamSpec;
import io.samplingbroker.modelworker.ModelWorkerConfig;
import io.samplingbroker.modelworker.catalogue.ModelCatalogue;

class ProcessEnvironmentsTest {

    private static final Map<String, String> COMMON = ProcessEnvironments.common("127.0.0.1:9092",
            "http://127.0.0.1:8081/apis/ccompat/v7", "bench-e2e-1.");

    @Test
    void givenTheBrokersEnvironment_whenTheBrokerReadsIt_thenItIsConfiguredAsInTheOneJvmStack() {
        Map<String, String> environment = ProcessEnvironments.broker(COMMON, "bench-e2e-1.broker-2", 18080,
                Duration.ofSeconds(45), "http://127.0.0.1:1/mcp", "http://127.0.0.1:2/mcp");

        BrokerConfig config = BrokerConfig.load(null, environment);

        assertThat(config.instanceId()).isEqualTo("bench-e2e-1.broker-2");
        assertThat(config.httpPort()).isEqualTo(18080);
        assertThat(config.kafka().topics().prefix()).isEqualTo("bench-e2e-1.");
        assertThat(config.sampling().deadline()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.sampling().pendingPerSession()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.sampling().pendingPerHost()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.gateway().limits()).isEqualTo(GatewayLimits.unlimited());
        assertThat(config.servers()).containsOnlyKeys(BenchStack.SERVER, BenchStack.MRTR_SERVER);
        assertThat(((UpstreamSpec.Http) config.servers().get(BenchStack.SERVER)).protocol())
                .isEqualTo(UpstreamSpec.Protocol.SESSION);
        assertThat(((UpstreamSpec.Http) config.servers().get(BenchStack.MRTR_SERVER)).protocol())
                .isEqualTo(UpstreamSpec.Protocol.SESSIONLESS);
    }

    @Test
    void givenTheModelWorkersEnvironment_whenItReadsIt_thenTheOfflineModelAndTheSharedGroup() {
        ModelWorkerConfig config = ModelWorkerConfig.load(null, ProcessEnvironments.modelWorker(COMMON, "g"));

        assertThat(config.groupId()).isEqualTo("g");
        assertThat(config.catalogue()).isEqualTo(ModelCatalogue.offlineOnly());
    }

    @Test
    void givenTheApprovalWorkersEnvironment_whenItReadsIt_thenTheSharedApplicationIdAndItsOwnState(@TempDir Path dir)
            throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), BenchStack.APPROVE_ALL);
        Map<String, String> environment = ProcessEnvironments.approvalWorker(COMMON, policy, "bench-e2e-1.approval",
                dir.resolve("state-1"));

        ApprovalWorkerConfig config = ApprovalWorkerConfig.load(null, environment);

        assertThat(config.applicationId()).isEqualTo("bench-e2e-1.approval");
        assertThat(config.policyFile()).isEqualTo(policy.toString());
        assertThat(config.kafka().streams()).containsEntry("state.dir", dir.resolve("state-1").toString());
    }

    @Test
    void givenAServerNameWithAHyphen_whenSpeltForTheEnvironment_thenTheHyphenIsADoubleUnderscore() {
        assertThat(ProcessEnvironments.variable("bench-mrtr")).isEqualTo("BENCH__MRTR");
    }
}
