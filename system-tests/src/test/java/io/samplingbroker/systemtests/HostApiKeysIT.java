package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.samplingbroker.broker.Broker;
import io.samplingbroker.broker.GatewaySettings;
import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestPeers;

/**
 * API keys for machine hosts, issued and revoked with the admin command, used by a real SDK host through the real
 * services with two broker instances: the key's host and tenant are the identity of the request, and a revocation
 * stops the key on both instances within 5 s.
 */
@ExtendWith(KafkaStackExtension.class)
class HostApiKeysIT {

    private static final Duration REVOCATION_BUDGET = Duration.ofSeconds(5);
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void givenAKeyOnTwoBrokers_whenItIsRevoked_thenBothRefuseItWithinFiveSecondsAndAnotherKeyStillWorks(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        GatewaySettings keysOnly = GatewaySettings.loopback()
                .withAuth(HostAuthSettings.keys(URI.create("https://broker.test")));
        try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL, null,
                EndToEndIT.stdioEverything(), 2, Duration.ofSeconds(30), keysOnly)) {
            String key = created(services.admin("keys", "create", "--host", "ci-runner", "--tenant", "tenant-b",
                    "--description", "nightly evals"));
            String otherKey = created(services.admin("keys", "create", "--host", "ci-runner", "--tenant", "tenant-b"));
            Broker first = services.brokers.get(0);
            Broker second = services.brokers.get(1);

            // Given: the key works on both instances, as its host and tenant, whatever the host calls itself
            TestPeers.ClientResult call = awaitAccepted(() -> TestPeers.runHost("v1-client.mjs",
                    first.mcpUrl("everything"), "trigger-sampling-request",
                    "{\"prompt\":\"with a key\",\"maxTokens\":20}", List.of("--sampling", "none"),
                    Map.of("HOST_TOKEN", key, "HOST_ID", "someone-else"), EndToEndIT.CLIENT_TIMEOUT));
            assertThat(call.output()).contains("offline-echo");
            String requestId = services.firstKey(services.kafka.samplingTopics().requests(), EndToEndIT.EVENTS_TIMEOUT);
            assertThat(services.requested(requestId, 1, EndToEndIT.EVENTS_TIMEOUT)).singleElement()
                    .satisfies(request -> {
                assertThat(request.getContext().getHostId()).isEqualTo("ci-runner");
                assertThat(request.getContext().getTenant()).isEqualTo("tenant-b");
                assertThat(request.getHostLabel()).isEqualTo("someone-else");
            });
            assertThat(initialize(second, key).statusCode()).isEqualTo(200);
            String keyId = key.substring(4, 20);
            SamplingStack.AdminRun listed = services.admin("keys", "list");
            assertThat(listed.out()).contains(keyId).contains("ci-runner").contains("tenant-b").contains("active")
                    .doesNotContain(key.substring(21));

            // When
            SamplingStack.AdminRun revoked = services.admin("keys", "revoke", keyId);
            long revokedAt = System.nanoTime();
            // Then
            assertThat(revoked.status()).as(revoked.err()).isZero();
            List<Duration> refusedAfter = new ArrayList<>();
            for (Broker broker : List.of(first, second)) {
                HttpResponse<String> response = initialize(broker, key);
                while (response.statusCode() == 200
                        && System.nanoTime() - revokedAt < REVOCATION_BUDGET.toNanos() * 2) {
                    Thread.sleep(50);
                    response = initialize(broker, key);
                }
                refusedAfter.add(Duration.ofNanos(System.nanoTime() - revokedAt));
                assertThat(response.statusCode()).as(broker.instanceId()).isEqualTo(401);
                assertThat(response.body()).contains("was revoked at");
                assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString()
                        .contains("invalid_token");
            }
            System.out.println("HostApiKeysIT: revoked key refused after " + refusedAfter.stream()
                    .map(d -> d.toMillis() + " ms").toList() + " on " + first.instanceId() + ", " + second.instanceId());
            assertThat(refusedAfter).as("time from revocation to refusal, per instance")
                    .allSatisfy(after -> assertThat(after).isLessThan(REVOCATION_BUDGET));
            assertThat(initialize(first, otherKey).statusCode()).as("only the revoked key stops").isEqualTo(200);
            assertThat(initialize(second, otherKey).statusCode()).isEqualTo(200);
            assertThat(services.admin("keys", "list", "--all").out()).contains("revoked");
            SamplingStack.AdminRun missing = services.admin("keys", "revoke", "0123456789abcdef");
            assertThat(missing.status()).isEqualTo(1);
            assertThat(missing.err()).contains("no key 0123456789abcdef");
        }
    }

    private static String created(SamplingStack.AdminRun run) {
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).contains("shown this once");
        return run.out().strip();
    }

    /** The brokers read new keys within a poll: the first call may come before that. */
    private static TestPeers.ClientResult awaitAccepted(CheckedSupplier<TestPeers.ClientResult> call)
            throws Exception {
        TestPeers.ClientResult result = call.get();
        for (int attempt = 0; attempt < 3 && !result.ok() && result.output().contains("401"); attempt++) {
            Thread.sleep(500);
            result = call.get();
        }
        assertThat(result.ok()).as(result.output()).isTrue();
        return result;
    }

    private interface CheckedSupplier<T> {
        T get() throws Exception;
    }

    private static HttpResponse<String> initialize(Broker broker, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(broker.mcpUrl("everything")))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
