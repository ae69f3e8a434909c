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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.broker.GatewaySettings;
import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.reviewconsole.PasswordHashing;
import io.samplingbroker.reviewconsole.ReviewConsoleConfig;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestIssuer;
import io.samplingbroker.testsupport.TestPeers;

/**
 * Two tenants on one deployment, through the real services: each tenant's host authenticates with its own token, the
 * policy holds both requests, and tenant A's reviewer can neither list, open nor decide tenant B's, through the API or
 * in the page (a headless browser, when installed: {@link HeadlessBrowser}); A's reviewer
 * approves A's request, and the audit scoped to tenant A shows A's request and none of B's.
 */
@ExtendWith(KafkaStackExtension.class)
class TenantIsolationIT {

    private static final String RESOURCE = "https://broker.test";
    private static final String POLICY = """
            defaultAction: approve
            rules:
              - id: hold-everything
                when: {server: everything}
                action: hold
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void givenHeldRequestsOfTwoTenants_whenTenantAsReviewerWorks_thenTheyReachOnlyTenantAsAndSoDoesTheScopedAudit(
            KafkaStack stack, @TempDir Path dir) throws Exception {
        ReviewConsoleConfig console = ReviewConsoleConfig.of(Map.of(
                "alice", PasswordHashing.hash("alice-password".toCharArray()),
                "bob", PasswordHashing.hash("bob-password".toCharArray())))
                .withReviewerTenants(Map.of("alice", "tenant-a", "bob", "tenant-b"));
        try (TestIssuer issuer = TestIssuer.start()) {
            GatewaySettings gateway = GatewaySettings.loopback().withAuth(HostAuthSettings.oauth(issuer.issuer(),
                    issuer.jwksUrl(), URI.create(RESOURCE)));
            try (SamplingStack services = SamplingStack.start(stack, dir, POLICY, null, EndToEndIT.stdioEverything(),
                    Duration.ofSeconds(55), console, gateway)) {
                String url = services.broker().mcpUrl("everything");
                // Given a held request of each tenant
                CompletableFuture<TestPeers.ClientResult> hostA = host(url, issuer.token("ci", "tenant-a",
                        "sampling:use", RESOURCE + "/mcp/everything"), "from tenant a");
                CompletableFuture<TestPeers.ClientResult> hostB = host(url, issuer.token("ci", "tenant-b",
                        "sampling:use", RESOURCE + "/mcp/everything"), "from tenant b");
                Reviewer alice = Reviewer.signIn(http, services.reviewConsoleUrl(), "alice", "alice-password");
                Reviewer bob = Reviewer.signIn(http, services.reviewConsoleUrl(), "bob", "bob-password");
                String itemOfA = alice.awaitPendingItem();
                String itemOfB = bob.awaitPendingItem();

                // When / Then: alice cannot list, open or decide B's item, nor see it in the page
                assertThat(alice.listedIds()).containsExactly(itemOfA);
                if (HeadlessBrowser.present()) {
                    assertThat(shownInThePage(services.reviewConsoleUrl(), dir)).containsExactly(itemOfA);
                }
                assertThat(alice.get("/api/reviews/" + itemOfB).statusCode()).isEqualTo(404);
                HttpResponse<String> decideB = alice.decide(itemOfB, "approve");
                assertThat(decideB.statusCode()).isEqualTo(404);
                assertThat(bob.listedIds()).as("B's item is still pending for its own reviewer")
                        .containsExactly(itemOfB);
                // And A's item is A's reviewer's to decide
                assertThat(alice.decide(itemOfA, "approve").statusCode()).isEqualTo(200);
                TestPeers.ClientResult a = hostA.get(90, TimeUnit.SECONDS);
                assertThat(a.ok()).as(a.output()).isTrue();
                assertThat(a.output()).contains("from tenant a");
                HttpResponse<String> denied = bob.decide(itemOfB, "deny");
                assertThat(denied.statusCode()).as(denied.body()).isEqualTo(200);
                hostB.get(90, TimeUnit.SECONDS);

                // And the audit scoped to tenant A shows A's request and none of B's
                String prefix = services.kafka.topics().prefix();
                List<JsonNode> audited = awaitAudited(stack, prefix, "tenant-a");
                assertThat(audited).extracting(t -> t.path("requestId").asText()).containsExactly(itemOfA);
                assertThat(audited).allSatisfy(t -> assertThat(t.path("tenant").asText()).isEqualTo("tenant-a"));
                assertThat(awaitAudited(stack, prefix, "tenant-*")).hasSize(2);
            }
        }
    }

    /** The queue alice's browser shows once signed in (B's pending item would have arrived by now). */
    private static List<String> shownInThePage(String consoleUrl, Path dir) throws Exception {
        try (HeadlessBrowser browser = HeadlessBrowser.start(dir)) {
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
            try {
                browser.driver.get(consoleUrl);
                wait.until(ExpectedConditions.visibilityOfElementLocated(HeadlessBrowser.testId("login-reviewer")))
                        .sendKeys("alice");
                browser.driver.findElement(HeadlessBrowser.testId("login-password")).sendKeys("alice-password");
                browser.driver.findElement(HeadlessBrowser.testId("login-submit")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("[data-testid='queue-item'][data-state='pending']")));
                Thread.sleep(1_000); // the live stream is open: anything more it would show arrives now
                return browser.driver.findElements(HeadlessBrowser.testId("queue-item")).stream()
                        .map(item -> item.getAttribute("data-request-id")).toList();
            } catch (Throwable failure) {
                browser.screenshot(Path.of("target", "tenant-isolation-failure.png"));
                throw failure;
            }
        }
    }

    private static CompletableFuture<TestPeers.ClientResult> host(String url, String token, String prompt) {
        return CompletableFuture.supplyAsync(() -> TestPeers.runHost("v1-client.mjs", url, "trigger-sampling-request",
                "{\"prompt\":\"" + prompt + "\",\"maxTokens\":20}", List.of("--sampling", "none"),
                Map.of("HOST_TOKEN", token), Duration.ofSeconds(150)));
    }

    private static List<JsonNode> awaitAudited(KafkaStack stack, String prefix, String tenant) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonNode> timelines = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            AuditHistory.Output output = AuditHistory.audit(AuditHistory.append(AuditHistory.connection(stack,
                    prefix), "timeline", "--tenant", tenant, "--format", "jsonl"));
            assertThat(output.status()).as(output.err()).isZero();
            timelines.clear();
            for (String line : output.out().split("\n")) {
                if (!line.isBlank()) {
                    timelines.add(JSON.readTree(line));
                }
            }
            if (!timelines.isEmpty() && timelines.stream().noneMatch(t -> t.path("outcome").asText().equals("open"))) {
                return timelines;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the audit never showed every request of " + tenant + " ended: " + timelines);
    }

    /** A reviewer signed in to the console's HTTP API. */
    private record Reviewer(HttpClient http, String base, String cookie, String csrfToken) {

        static Reviewer signIn(HttpClient http, String base, String name, String password) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "api/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"reviewer\":\"" + name + "\",\"password\":\"" + password + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return new Reviewer(http, base, response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0],
                    JSON.readTree(response.body()).path("csrfToken").asText());
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).header("Cookie", cookie)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> decide(String requestId, String action) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + "api/reviews/" + requestId + "/decision"))
                    .header("Cookie", cookie).header("X-CSRF-Token", csrfToken)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"stage\":\"request\",\"action\":\"" + action + "\",\"reason\":\"by " + action
                                    + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        List<String> listedIds() throws Exception {
            List<String> ids = new ArrayList<>();
            JSON.readTree(get("/api/reviews").body()).path("items").forEach(item -> ids.add(item.path("requestId")
                    .asText()));
            return ids;
        }

        String awaitPendingItem() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                List<String> ids = listedIds();
                if (!ids.isEmpty()) {
                    return ids.get(0);
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no held request reached the console");
        }
    }
}
