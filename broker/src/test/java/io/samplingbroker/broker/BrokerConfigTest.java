package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.broker.upstream.UpstreamSpec;

class BrokerConfigTest {

    private static final Map<String, String> KAFKA = Map.of("kafka.bootstrap.servers", "k:9092",
            "schema.registry.url", "http://r", "broker.auth.mode", "none");
    private static final Map<String, String> OAUTH = Map.of("broker.auth.mode", "oauth",
            "broker.auth.issuer", "https://id.example.com", "broker.auth.jwks.url", "https://id.example.com/jwks.json",
            "broker.auth.resource", "https://broker.example.com/");

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

    @Test
    void givenGatewayAndSamplingSettings_whenRead_thenTheyAreValidatedAndTheSecretIsNeverPrinted() {
        Map<String, String> settings = new java.util.HashMap<>(KAFKA);
        settings.putAll(Map.of(
                "broker.http.host", "0.0.0.0",
                "broker.http.allowed.hosts", "mcp.example.com, LB.internal",
                "broker.http.allowed.origins", "https://app.example.com",
                "broker.request.state.secret", "a secret shared by all broker instances",
                "broker.input.max.rounds", "4",
                "broker.sampling.max.request.bytes", "4000000",
                "servers.current.url", "https://mcp.example/mcp",
                "servers.current.protocol", "2026-07-28"));
        settings.putAll(OAUTH);

        BrokerConfig config = BrokerConfig.fromSettings(settings);

        assertThat(config.gateway().allowedHosts()).containsExactlyInAnyOrder("mcp.example.com", "lb.internal");
        assertThat(config.gateway().allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(config.gateway().maxInputRounds()).isEqualTo(4);
        assertThat(config.gateway().toString()).doesNotContain("a secret shared").contains("[redacted]");
        assertThat(config.sampling().maxRequestBytes()).isEqualTo(4_000_000);
        assertThat(((UpstreamSpec.Http) config.servers().get("current")).protocol())
                .isEqualTo(UpstreamSpec.Protocol.SESSIONLESS);
        assertThat(BrokerConfig.fromSettings(KAFKA).gateway().allowedHosts()).as("loopback by default")
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "[::1]", "::1");
    }

    @Test
    void givenBadGatewayAndSamplingSettings_whenRead_thenTheKeyIsNamed() {
        assertThatThrownBy(() -> BrokerConfig.fromSettings(with("broker.request.state.secret", "short")))
                .hasMessageContaining("broker.request.state.secret must be at least 32 bytes");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(with("broker.http.allowed.origins", "https://a.example/path")))
                .hasMessageContaining("broker.http.allowed.origins");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(with("broker.input.max.rounds", "0")))
                .hasMessageContaining("broker.input.max.rounds must be in 1..64");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(with("broker.sampling.max.request.bytes", "10")))
                .hasMessageContaining("broker.sampling.max.request.bytes must be at least 1024");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(with("servers.x.url", "http://x", "servers.x.protocol", "2024")))
                .hasMessageContaining("servers.x.protocol must be auto, 2025-11-25 or 2026-07-28");
    }

    @Test
    void givenHostAuthentication_whenRead_thenOauthIsTheDefaultAndNoneIsForLoopbackOnly() {
        Map<String, String> oauth = new java.util.HashMap<>(KAFKA);
        oauth.putAll(OAUTH);
        oauth.putAll(Map.of("broker.auth.scope", "mcp:sample", "broker.auth.clock.skew.s", "5"));

        HostAuthSettings auth = BrokerConfig.fromSettings(oauth).gateway().auth();

        assertThat(auth.mode()).isEqualTo(HostAuthSettings.Mode.OAUTH);
        assertThat(auth.resourceOf("everything")).isEqualTo("https://broker.example.com/mcp/everything");
        assertThat(auth.requiredScope()).isEqualTo("mcp:sample");
        assertThat(auth.clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(auth.tenantClaim()).isEqualTo("tenant");
        Map<String, String> unset = new java.util.HashMap<>(KAFKA);
        unset.remove("broker.auth.mode");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(unset)).as("oauth unless said otherwise")
                .hasMessageContaining("broker.auth.mode=oauth needs broker.auth.issuer")
                .hasMessageContaining("broker.auth.mode=none");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(with("broker.http.host", "0.0.0.0")))
                .hasMessageContaining("broker.auth.mode=none (hosts name themselves) is only for a gateway on")
                .hasMessageContaining("loopback");
        Map<String, String> withPath = new java.util.HashMap<>(oauth);
        withPath.put("broker.auth.resource", "https://broker.example.com/mcp");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(withPath))
                .hasMessageContaining("broker.auth.resource is the gateway's base URL without a path");
        assertThatThrownBy(() -> BrokerConfig.fromSettings(with("broker.auth.mode", "basic")))
                .hasMessageContaining("broker.auth.mode must be oauth, keys or none");
    }

    @Test
    void givenApiKeysOnly_whenRead_thenNoIssuerIsNeededButTheResourceIs() {
        HostAuthSettings keys = BrokerConfig.fromSettings(with("broker.auth.mode", "keys", "broker.http.host", "0.0.0.0",
                "broker.auth.resource", "https://broker.example.com")).gateway().auth();

        assertThat(keys.mode()).isEqualTo(HostAuthSettings.Mode.KEYS);
        assertThat(keys.required()).isTrue();
        assertThat(keys.issuer()).isNull();
        assertThatThrownBy(() -> BrokerConfig.fromSettings(with("broker.auth.mode", "keys")))
                .hasMessageContaining("broker.auth.mode=oauth or keys needs broker.auth.resource");
    }

    private static Map<String, String> with(String... keysAndValues) {
        Map<String, String> settings = new java.util.HashMap<>(KAFKA);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }
}
