package io.samplingbroker.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.embeddedinfra.LoopbackPorts;
import io.samplingbroker.serviceruntime.tracing.TracingSettings;

class DevStackIT {

    @Test
    void givenTheDevStack_whenStartedTwiceOnTheSameData_thenTopicsRegistryAndReviewConsoleAreUpBothTimes(
            @TempDir Path dir) throws Exception {
        DevStackConfig config = new DevStackConfig(dir, LoopbackPorts.freePort(), LoopbackPorts.freePort(),
                LoopbackPorts.freePort(), "sampling.", LoopbackPorts.freePort(), null, LoopbackPorts.freePort(), null, 0,
                null, TracingSettings.off());
        HttpClient http = HttpClient.newHttpClient();
        for (int run = 1; run <= 2; run++) {
            try (DevStack stack = new DevStack(config).start()) {
                try (Admin admin = Admin.create(new java.util.HashMap<String, Object>(stack.clientSettings("admin")))) {
                    Set<String> names = admin.listTopics().names().get();
                    assertThat(names).containsAll(stack.topicNames());
                }
                assertThat(stack.schemaRegistryUrl()).endsWith("/apis/ccompat/v7");
                assertThat(stack.mcpUrl()).endsWith("/mcp/everything");
                // the generated reviewer password, kept across restarts, signs in to the console
                String password = Files.readString(dir.resolve("reviewer-password")).strip();
                HttpResponse<String> login = http.send(HttpRequest.newBuilder(
                        URI.create(stack.reviewConsoleUrl() + "api/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reviewer\": \"dev\", \"password\": \"" + password + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
                assertThat(login.body()).contains("\"reviewer\":\"dev\"");
            }
        }
    }
}
