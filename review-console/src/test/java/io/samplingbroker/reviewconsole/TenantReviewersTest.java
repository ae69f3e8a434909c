package io.samplingbroker.reviewconsole;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.testing.Requests;

/**
 * Reviewers of tenants: alice reviews acme, bob globex, carol every tenant. Each sees and decides only their tenants'
 * items, in the list, one item, a decision and the live stream; another tenant's item reads as one that does not
 * exist.
 */
class TenantReviewersTest extends ConsoleServerTestBase {

    private final ReviewItem acme = item("req-acme", "acme");
    private final ReviewItem globex = item("req-globex", "globex");
    private final ReviewItem untenanted = item("req-none", null);

    @Override
    Map<String, String> reviewerTenants() {
        return Map.of("alice", "acme", "bob", "globex, initech");
    }

    @Test
    void givenItemsOfTwoTenants_whenEachTenantsReviewerLists_thenEachSeesOnlyTheirs() throws Exception {
        // Given
        List.of(acme, globex, untenanted).forEach(queue::put);
        // When
        List<String> alice = listed("alice", ALICE_PASSWORD);
        List<String> bob = listed("bob", "bob-password");
        List<String> carol = listed("carol", "carol-password");
        // Then
        assertThat(alice).containsExactly("req-acme");
        assertThat(bob).containsExactly("req-globex");
        assertThat(carol).containsExactlyInAnyOrder("req-acme", "req-globex", "req-none");
    }

    @Test
    void givenAnotherTenantsItem_whenAReviewerOpensOrDecidesIt_thenItIsUnknownAndNothingIsSent() throws Exception {
        queue.put(globex);
        client.login("alice", ALICE_PASSWORD);

        HttpResponse<String> opened = client.get("/api/reviews/req-globex");
        HttpResponse<String> decided = client.postJson("/api/reviews/req-globex/decision",
                "{\"stage\":\"request\",\"action\":\"approve\"}");

        assertThat(opened.statusCode()).isEqualTo(404);
        assertThat(decided.statusCode()).isEqualTo(404);
        assertThat(ConsoleClient.json(decided).path("error").asText()).isEqualTo(
                ConsoleClient.json(client.get("/api/reviews/req-never")).path("error").asText());
        assertThat(sent).as("no command reached the approval-worker").isEmpty();
        assertThat(client.get("/api/reviews/req-globex").statusCode()).isEqualTo(404);
        assertThat(ConsoleClient.json(client.get("/api/me")).path("tenants").asText()).isEqualTo("acme");
    }

    @Test
    void givenALiveStream_whenItemsOfBothTenantsArrive_thenAReviewerReceivesOnlyTheirTenants() throws Exception {
        client.login("alice", ALICE_PASSWORD);
        BlockingQueue<String> lines = openEvents();
        awaitLine(lines, ": connected");
        // When
        queue.put(globex);
        queue.put(untenanted);
        queue.put(acme);
        // Then: acme's arrives, and nothing before it
        List<String> itemIds = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!itemIds.contains("req-acme") && System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("data: {")) {
                JsonNode data = McpJson.parse(line.substring("data: ".length()));
                itemIds.add(data.path("requestId").asText());
            }
        }
        assertThat(itemIds).containsExactly("req-acme");
    }

    private List<String> listed(String reviewer, String password) throws Exception {
        ConsoleClient own = new ConsoleClient(client.port());
        assertThat(own.login(reviewer, password).statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        ConsoleClient.json(own.get("/api/reviews")).path("items").forEach(item -> ids.add(item.path("requestId")
                .asText()));
        return ids;
    }

    private BlockingQueue<String> openEvents() {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        client.sendAsync(client.request("/api/events").GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    try (Stream<String> stream = response.body()) {
                        stream.forEach(lines::add);
                    }
                });
        return lines;
    }

    private static void awaitLine(BlockingQueue<String> lines, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (expected.equals(lines.poll(100, TimeUnit.MILLISECONDS))) {
                return;
            }
        }
        throw new AssertionError("the stream never said " + expected);
    }

    private static ReviewItem item(String requestId, String tenant) {
        return ReviewItems.pending(Requests.request(requestId).tenant(tenant).requestedAt(Instant.now())
                .deadlineAfter(Duration.ofMinutes(5)));
    }
}
