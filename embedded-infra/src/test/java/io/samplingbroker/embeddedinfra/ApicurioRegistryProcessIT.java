package io.samplingbroker.embeddedinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        List<ProcessHandle> family = ProcessHandle.of(pid).orElseThrow().descendants().toList();
        assertThat(family).as("the registry's JVM, under its guard").isNotEmpty();

        registry.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(family).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void givenAnotherRegistryOnThePort_whenOneStartsThere_thenItFailsNamingThePortInsteadOfReportingTheOtherReady()
            throws Exception {
        try (ApicurioRegistryProcess first = new ApicurioRegistryProcess(ApicurioRegistryProcess.Settings.ephemeral())
                .start()) {
            ApicurioRegistryProcess.Settings samePort = new ApicurioRegistryProcess.Settings(first.port(),
                    Optional.empty(), Files.createTempFile("apicurio-second-", ".log"));

            assertThatThrownBy(() -> new ApicurioRegistryProcess(samePort).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + first.port() + " on 127.0.0.1 is in use by another process");
        }
    }

    private String register(String baseUrl) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/subjects/probe-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(SCHEMA_BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().replaceAll("\\D+", "");
    }
}
