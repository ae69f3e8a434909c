package io.samplingbroker.embeddedinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void givenKeptStorage_whenTheBrokerRestarts_thenItsTopicsAreStillThere(@TempDir Path dir) throws Exception {
        // Given
        EmbeddedKafkaBroker.Settings settings = new EmbeddedKafkaBroker.Settings(dir, LoopbackPorts.freePort(),
                LoopbackPorts.freePort(), false, Map.of(), null);
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings).start();
                Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get();
        }
        // When
        try (EmbeddedKafkaBroker restarted = new EmbeddedKafkaBroker(settings).start();
                Admin admin = admin(restarted)) {
            // Then
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).contains("kept");
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
