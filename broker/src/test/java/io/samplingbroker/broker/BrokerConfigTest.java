package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.upstream.UpstreamSpec;

class BrokerConfigTest {

    private static final Map<String, String> KAFKA = Map.of("kafka.bootstrap.servers", "k:9092",
            "schema.registry.url", "http://r");

    @Test
    void givenStdioAndHttpServers_whenRead_thenBothAreConfiguredAndSecretsStayUnprinted() {
        Map<String, String> settings = new java.util.HashMap<>(KAFKA);
        settings.putAll(Map.of(
                "servers.everything.command", "npx",
                "servers.everything.args", "-y,@modelcontextprotocol/server-everything,stdio",
                "servers.everything.env.API_TOKEN", "t0ps3cret",
                "servers.remote.url", "https://mcp.example/mcp",
                "servers.remote.headers.Authorization", "Bearer abc",
                "broker.sampling.deadline.ms", "30000",
                "broker.instance.id", "broker-eu-1"));

        BrokerConfig config = BrokerConfig.fromSettings(settings);

        assertThat(config.servers().get("everything")).isEqualTo(new UpstreamSpec.Stdio("everything",
                List.of("npx", "-y", "@modelcontextprotocol/server-everything", "stdio"), Map.of("API_TOKEN", "t0ps3cret"),
                null));
        assertThat(((UpstreamSpec.Http) config.servers().get("remote")).url()).isEqualTo(URI.create("https://mcp.example/mcp"));
        assertThat(config.sampling().deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.instanceId()).isEqualTo("broker-eu-1");
        assertThat(config.servers().toString()).doesNotContain("t0ps3cret").doesNotContain("Bearer abc");
    }

    @Test
    void givenInvalidServers_whenRead_thenTheKeyIsNamed() {
        Map<String, String> both = new java.util.HashMap<>(KAFKA);
        both.putAll(Map.of("servers.x.command", "a", "servers.x.url", "http://b"));
        assertThatThrownBy(() -> BrokerConfig.fromSettings(both)).hasMessage("servers.x needs exactly one of command or url");

        Map<String, String> badUrl = new java.util.HashMap<>(KAFKA);
        badUrl.put("servers.y.url", "ftp://b");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(badUrl)).hasMessageContaining("servers.y.url must be http or https");

        Map<String, String> badDeadline = new java.util.HashMap<>(KAFKA);
        badDeadline.put("broker.sampling.deadline.ms", "0");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(badDeadline)).hasMessageContaining("broker.sampling.deadline.ms");
    }
}
