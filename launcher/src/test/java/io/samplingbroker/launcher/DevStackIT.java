package io.samplingbroker.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.infra.LoopbackPorts;

class DevStackIT {

    @Test
    void givenTheDevStack_whenStartedTwiceOnTheSameData_thenTopicsAndRegistryAreUpBothTimes(@TempDir Path dir)
            throws Exception {
        DevStackConfig config = new DevStackConfig(dir, LoopbackPorts.freePort(), LoopbackPorts.freePort(),
                LoopbackPorts.freePort(), "sampling.", LoopbackPorts.freePort(), null);
        for (int run = 1; run <= 2; run++) {
            try (DevStack stack = new DevStack(config).start()) {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                    Set<String> names = admin.listTopics().names().get();
                    assertThat(names).containsAll(stack.topicNames());
                }
                assertThat(stack.schemaRegistryUrl()).endsWith("/apis/ccompat/v7");
                assertThat(stack.mcpUrl()).endsWith("/mcp/everything");
            }
        }
    }
}
