package io.samplingbroker.embeddedinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryProcessIT {

    private static final String SCHEMA_BODY =
            "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"string\\\"}]}\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void givenFileStorage_whenTheRegistryRestarts_thenASchemaRegisteredBeforeKeepsItsId(@TempDir Path dir) throws Exception {
        // Given
        ApicurioRegistryProcess.Settings settings = new ApicurioRegistryProcess.Settings(0, Optional.of(dir.resolve("db")),
                dir.resolve("registry.log"));
        String id;
        int port;
        try (ApicurioRegistryProcess registry = new ApicurioRegistryProcess(settings).start()) {
            port = registry.port();
            id = register(registry.confluentApiUrl());
        }
        // When
        ApicurioRegistryProcess.Settings samePort = new ApicurioRegistryProcess.Settings(port, settings.storageDir(),
                settings.logFile());
        try (ApicurioRegistryProcess restarted = new ApicurioRegistryProcess(samePort).start()) {
            // Then
            HttpResponse<String> schema = http.send(HttpRequest.newBuilder(
                    URI.create(restarted.confluentApiUrl() + "/schemas/ids/" + id)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(schema.statusCode()).isEqualTo(200);
            assertThat(schema.body()).contains("Probe");
        }
    }

    @Test
    void givenARunningRegistry_whenClosed_thenItsProcessIsGone() throws Exception {
        ApicurioRegistryProcess registry = new ApicurioRegistryProcess(ApicurioRegistryProcess.Settings.ephemeral()).start();
        long pid = registry.pid().orElseThrow();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        registry.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    private String register(String baseUrl) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/subjects/probe-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(SCHEMA_BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().replaceAll("\\D+", "");
    }
}
